import { expect, test, type Page } from './test';
import { HOSTILE_MODEL_NAME, HOSTILE_PAYLOADS } from './fixtures/hostile.mjs';
import {
  addTinyModel,
  afterNextFrame,
  loadModel,
  MODEL_HOST,
  recordCspViolations,
  waitForServiceWorker,
} from './helpers';

/**
 * An XSS corpus through every path that reaches the DOM: model output streamed by the real engine,
 * the model's own name, user messages, conversation titles (first message, rename, import), file
 * names, document text, summaries. Nothing may run, nothing active may appear, and not even the
 * CSP may have had to step in (a violation would mean markup got through the sanitizer).
 */

const HOSTILE_URL = `${MODEL_HOST}/models/hostile.gguf`;
const CORPUS = HOSTILE_PAYLOADS.join('');

/** Before any page script: records CSP violations (payloads that reached the DOM but were blocked). */
test.beforeEach(({ page }) => recordCspViolations(page));

/** Nothing ran, nothing active is in the app's DOM, and the CSP never had to block anything. */
async function expectInert(page: Page): Promise<void> {
  // Handlers such as onerror, and CSP reports, are queued as tasks after insertion: let them run.
  await afterNextFrame(page);
  const found = await page.evaluate(() => {
    const app = document.getElementById('app')!;
    const all = [...app.querySelectorAll('*')];
    const brief = (el: Element) => el.outerHTML.slice(0, 100);
    return {
      pwned: (window as unknown as { __pwned?: unknown }).__pwned ?? null,
      active: all
        .filter((el) => el.matches('script, iframe, frame, object, embed, svg, math, style, link, meta, base'))
        .concat(all.filter((el) => el.matches('img') && el.getAttribute('src') !== '/icons/icon.svg'))
        .map(brief),
      handlers: all.filter((el) => [...el.attributes].some((a) => a.name.toLowerCase().startsWith('on'))).map(brief),
      scriptUrls: all
        .filter((el) =>
          ['href', 'src', 'action', 'formaction', 'data', 'srcdoc'].some((name) =>
            /^\s*(javascript|vbscript|data):|<script/i.test(el.getAttribute(name) ?? ''),
          ),
        )
        .map(brief),
      violations: (window as unknown as { __violations: string[] }).__violations,
      visible: getComputedStyle(document.body).display !== 'none',
    };
  });
  expect(found).toEqual({ pwned: null, active: [], handlers: [], scriptUrls: [], violations: [], visible: true });
}

test('a hostile model: its name and its streamed output are shown as text, and nothing runs', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto('/');
  await waitForServiceWorker(page);
  await addTinyModel(page, HOSTILE_URL, HOSTILE_MODEL_NAME);
  await expectInert(page);

  await page.goto('/#/chat');
  await loadModel(page, HOSTILE_MODEL_NAME);
  await expect(page.getByTestId('engine-status')).toContainText(HOSTILE_MODEL_NAME);

  // The user's own message is hostile too. It is long, so the (hostile) model writes the title.
  const composer = page.getByRole('textbox', { name: 'Message', exact: true });
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByLabel('Max tokens').fill(String(HOSTILE_PAYLOADS.length));
  await page.getByLabel('Max tokens').press('Tab');
  const userText = `<img src=x onerror="window.__pwned='user'"> **hi** <script>window.__pwned='user-script'</script>`;
  await composer.fill(userText);
  await composer.press('Enter');
  const reply = page.getByTestId('message-assistant').first();
  await expect(reply.getByTestId('reply-stats')).toContainText(`${HOSTILE_PAYLOADS.length} tokens`, {
    timeout: 60_000,
  });
  await expectInert(page);

  // Every payload is there, as text: raw HTML shown literally, unsafe links reduced to their words.
  const text = reply.getByTestId('message-text');
  await expect(text).toContainText(`<script>window.__pwned='script'</script>`);
  await expect(text).toContainText(`<img src=x onerror="window.__pwned='img'">`);
  await expect(text).toContainText(`<iframe srcdoc="<script>parent.__pwned='iframe'</script>"></iframe>`);
  await expect(text).toContainText(`<svg onload="window.__pwned='svg'">`);
  await expect(text).toContainText('click me');
  await expect(text.getByRole('link')).toHaveCount(0);
  await expect(text.locator('strong')).toHaveText('bold');

  await expect(page.getByTestId('message-user').getByTestId('message-text')).toContainText(userText);
  // Either way the title is markup shown as text.
  await expect(page.getByTestId('conversation-title')).toContainText('<img src=x onerror=');

  // Renaming to markup keeps it as text, in the header and the sidebar.
  const title = page.getByTestId('conversation-title');
  const firstTitle = (await title.textContent())!.trim();
  await page.getByRole('button', { name: `Rename “${firstTitle}”` }).click();
  const hostileTitle = `<svg/onload="window.__pwned='title'"><b>Renamed</b>`;
  await page.getByLabel('New title').fill(hostileTitle);
  await page.getByLabel('New title').press('Enter');
  await expect(title).toHaveText(hostileTitle);
  await expect(page.getByTestId('conversation-item').first()).toContainText(hostileTitle);

  // After a reload everything comes back from storage, rendered the same inert way.
  await page.reload();
  await expect(page.getByTestId('message-assistant').first().getByTestId('message-text')).toContainText(
    `<script>window.__pwned='script'</script>`,
  );
  await expectInert(page);
});

test('hostile file names and document text, and a hostile model summarizing them, stay text', async ({
  page,
  context,
}) => {
  test.setTimeout(120_000);
  await page.goto('/');
  await waitForServiceWorker(page);
  await addTinyModel(page, HOSTILE_URL, HOSTILE_MODEL_NAME);
  await context.setOffline(true);
  await page.goto('/#/summarize');
  await loadModel(page, HOSTILE_MODEL_NAME);

  const fileName = `<img src=x onerror="window.__pwned='file'">notes.md`;
  await page.getByLabel('Open file').setInputFiles({
    name: fileName,
    mimeType: 'text/markdown',
    buffer: Buffer.from(`# Notes\n\n${CORPUS}`),
  });
  await expect(page.getByTestId('summary-source')).toContainText(fileName);
  await expect(page.getByTestId('summary-source-preview')).toContainText(`<script>window.__pwned='script'</script>`);
  await expectInert(page);

  await page.getByText('Short').click();
  await page.getByRole('button', { name: 'Summarize', exact: true }).click();
  const item = page.getByTestId('summary-history-item').filter({ hasText: 'notes.md' });
  await expect(item).toHaveCount(1, { timeout: 90_000 });
  await expect(page.getByRole('heading', { name: `Summary of ${fileName}` })).toBeVisible();
  await expect(page.getByTestId('summary-text')).toContainText(`<script>window.__pwned='script'</script>`);
  await expect(item).toContainText(HOSTILE_MODEL_NAME);
  await expectInert(page);

  // The download's file name keeps nothing of the markup but words.
  await item.getByText(fileName).click();
  const download = page.waitForEvent('download');
  await item.getByRole('button', { name: 'Download .md' }).click();
  expect((await download).suggestedFilename()).toMatch(/^summary-[\w-]+\.md$/);
  await expectInert(page);
});

test('imported conversations with hostile titles, messages and file name are shown as text', async ({ page }) => {
  await page.goto('/#/chat');
  const title = `<iframe src="javascript:window.__pwned='import-title'"></iframe>Imported`;
  const file = JSON.stringify({
    format: 'nook-conversations',
    version: 1,
    exportedAt: new Date().toISOString(),
    conversations: [
      {
        schemaVersion: 1,
        id: 'hostile-1',
        title,
        createdAt: 1,
        updatedAt: Date.now(),
        systemPrompt: `<script>window.__pwned='system'</script>`,
        modelId: `"><img src=x onerror="window.__pwned='model-id'">`,
        settings: { temperature: 0.7, topP: 0.95, maxTokens: 512 },
        messages: [
          { id: 'u', role: 'user', content: CORPUS, createdAt: 1 },
          {
            id: 'a',
            role: 'assistant',
            content: CORPUS,
            createdAt: 2,
            author: { name: HOSTILE_MODEL_NAME, backend: 'wllama', device: 'cpu' },
          },
        ],
      },
    ],
  });
  await page.getByLabel('Import conversations').setInputFiles({
    name: `<img src=x onerror="window.__pwned='import-file'">.json`,
    mimeType: 'application/json',
    buffer: Buffer.from(file),
  });
  await expect(page.getByRole('status').filter({ hasText: 'Imported 1 conversation.' })).toBeVisible();
  const item = page.getByTestId('conversation-item').filter({ hasText: 'Imported' });
  await expect(item).toContainText(title);
  await item.getByRole('button').first().click();
  await expect(page.getByTestId('conversation-title')).toHaveText(title);
  await expect(page.getByTestId('message-assistant').getByTestId('message-text')).toContainText('bold');
  await page.getByRole('button', { name: 'Settings' }).click();
  await expect(page.getByLabel('System prompt')).toHaveValue(`<script>window.__pwned='system'</script>`);
  await expectInert(page);
});
