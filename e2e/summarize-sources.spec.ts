import { expect, test, type Page } from './test';
import { expectedReply, makeTinyModel } from '../test-support/make-tiny-model.mjs';
import { startModelServer } from './fixtures/model-server.mjs';
import { addTinyModel, fakeLaunchQueue, launchFile, loadModel, waitForServiceWorker } from './helpers';

// Summaries run on the real engine: a loaded machine may take minutes, never a failure (no timed assertion).
test.describe.configure({ timeout: 300_000 });

/** The tiny model's final pass: 64 tokens (a quarter of its 256-token window). */
const FINAL_REPLY = expectedReply(64).trim();

test('"Summarize" on a conversation opens the Summarize view on its transcript and summarizes it offline', async ({
  page,
  context,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto('/');
  await waitForServiceWorker(page);
  await addTinyModel(page);
  await context.setOffline(true);
  await page.goto('/#/chat');
  await loadModel(page);
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByLabel('Max tokens').fill('14');
  await page.getByLabel('Max tokens').press('Tab');
  await page.getByRole('button', { name: 'Settings' }).click();
  const composer = page.getByRole('textbox', { name: 'Message', exact: true });
  await composer.fill('Plan a trip to Lisbon');
  await composer.press('Enter');
  await expect(page.getByTestId('reply-stats')).toContainText('14 tokens');

  await page.getByRole('button', { name: 'Summarize “Plan a trip to Lisbon”' }).click();
  await expect(page).toHaveURL(/#\/summarize$/);
  const source = page.getByTestId('summary-source');
  await expect(source).toContainText('Plan a trip to Lisbon');
  // The transcript: who said what, in order, without the system prompt.
  const preview = page.getByTestId('summary-source-preview');
  await expect(preview).toHaveText(
    `# Plan a trip to Lisbon\n\n## You\n\nPlan a trip to Lisbon\n\n## Nook\n\n${expectedReply(14).trim()}`,
  );
  await expect(preview).not.toContainText('You are Nook');

  // A model is loaded, so it starts at once.
  await expect(page.getByTestId('summary-history-item').filter({ hasText: 'Plan a trip to Lisbon' })).toHaveCount(1, {
    timeout: 150_000,
  });
  await expect(page.getByTestId('summary-text')).toHaveText(FINAL_REPLY);
  await expect(page.getByRole('heading', { name: 'Summary of Plan a trip to Lisbon' })).toBeVisible();
  // Copy puts the summary on the clipboard.
  await page.getByTestId('summary-output-actions').getByRole('button', { name: 'Copy' }).click();
  await expect(page.getByTestId('summary-output-actions').getByRole('button', { name: 'Copied' })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(FINAL_REPLY);
  await expect(page.getByRole('alert')).toHaveCount(0);
});

test.describe('with a model that answers in markdown', () => {
  // Each token must be distinct: the tiny model's next token depends on the last one alone.
  const REPLY = ['**Key', ' points**', ':\n', '1.', ' Fence', ' repaired', '\n2.', ' Budget', ' grows', '\n\n'];
  let server: Awaited<ReturnType<typeof startModelServer>>;
  test.beforeAll(async () => {
    server = await startModelServer({ model: makeTinyModel({ reply: REPLY, name: 'Nook Tiny Markdown' }) });
  });
  test.afterAll(async () => server.close());

  test('the summary and its saved copy render as sanitized markdown, not raw text', async ({ page, privacy }) => {
    privacy.allow(server.url);
    await addTinyModel(page, `${server.url}/models/tiny.gguf`, 'Nook Tiny Markdown');
    await page.goto('/#/summarize');
    await loadModel(page, 'Nook Tiny Markdown');
    await page.getByLabel('Text to summarize').fill('The club repaired the fence. The budget grows next year.');
    await page.getByRole('button', { name: 'Summarize', exact: true }).click();
    await expect(page.getByTestId('summary-history-item')).toHaveCount(1, { timeout: 150_000 });

    const check = async (root: ReturnType<Page['getByTestId']>) => {
      await expect(root.locator('strong').first()).toHaveText('Key points');
      await expect(root.locator('ol').first().locator('li')).toHaveText(['Fence repaired', 'Budget grows']);
      await expect(root).not.toContainText('**');
    };
    await check(page.getByTestId('summary-text'));
    await page.getByTestId('summary-history-item').locator('summary').click();
    await check(page.getByTestId('summary-history-text'));

    // Copy and Download keep the markdown source.
    const download = page.waitForEvent('download');
    await page.getByTestId('summary-output-actions').getByRole('button', { name: 'Download .md' }).click();
    const file = await (await import('node:fs/promises')).readFile((await (await download).path())!, 'utf8');
    expect(file).toContain('**Key points**:\n1. Fence repaired');
  });
});

test('a file dropped on the Summarize view, or opened with Nook from the system, is read', async ({ page }) => {
  await fakeLaunchQueue(page);
  await page.goto('/#/chat');
  await expect(page.getByRole('heading', { name: 'Summarize' })).toHaveCount(0);
  await launchFile(page, 'minutes.txt', 'The board met on Monday and agreed to open the library on Sundays.');
  await page.getByTestId('incoming-choice').getByRole('button', { name: 'Summarize' }).click();
  await expect(page).toHaveURL(/#\/summarize$/);
  await expect(page.getByTestId('summary-source')).toContainText('minutes.txt');
  await expect(page.getByTestId('summary-source-preview')).toHaveText(
    'The board met on Monday and agreed to open the library on Sundays.',
  );

  await page.getByRole('button', { name: 'Remove' }).click();
  const dropped = await page.evaluateHandle(() => {
    const data = new DataTransfer();
    data.items.add(new File(['# Garden\n\nThe roses need water.'], 'garden.md', { type: 'text/markdown' }));
    return data;
  });
  const view = page.locator('section.summarize');
  await view.dispatchEvent('dragover', { dataTransfer: dropped });
  await view.dispatchEvent('drop', { dataTransfer: dropped });
  await expect(page.getByTestId('summary-source')).toContainText('garden.md');
  await expect(page.getByTestId('summary-source-preview')).toHaveText(/# Garden\s+The roses need water\./);

  // A dropped file Nook cannot read gets the reason.
  const image = await page.evaluateHandle(() => {
    const data = new DataTransfer();
    data.items.add(new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47])], 'photo.png', { type: 'image/png' }));
    return data;
  });
  await view.dispatchEvent('drop', { dataTransfer: image });
  await expect(page.getByRole('alert')).toHaveText(/Nook cannot read “photo\.png” \(image\/png\)/);
});

test('a shared link alone, or a share that is gone, is refused with the reason', async ({ page }) => {
  await page.goto('/');
  await waitForServiceWorker(page);
  // What the OS does when the user shares only a page address to the installed app.
  await page.evaluate(() => {
    const form = document.createElement('form');
    form.method = 'POST';
    form.enctype = 'multipart/form-data';
    form.action = '/share-target';
    for (const [name, value] of [
      ['title', 'A page'],
      ['text', ''],
      ['url', 'https://example.org/article'],
    ]) {
      const input = document.createElement('input');
      input.name = name!;
      input.value = value!;
      form.append(input);
    }
    document.body.append(form);
    form.submit();
  });
  await expect(page).toHaveURL(/#\/summarize$/);
  await expect(page.getByRole('alert')).toHaveText(/Only a link was shared\. Nook does not fetch web pages/);
  await expect(page.getByTestId('summary-source')).toHaveCount(0);

  // An address whose shared item was already taken (or never existed).
  await page.goto('/#/summarize?shared=00000000-0000-0000-0000-000000000000');
  await expect(page.getByRole('alert')).toHaveText('The shared item is no longer available. Share it again.');
});
