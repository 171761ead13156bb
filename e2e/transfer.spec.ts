import { readFile } from 'node:fs/promises';
import { expect, test, type Page } from './test';
import { expectedReply } from '../test-support/make-tiny-model.mjs';
import {
  addTinyModel,
  afterNextFrame,
  conversationExport,
  conversationItems,
  loadModel,
  waitForServiceWorker,
} from './helpers';

async function importText(page: Page, name: string, text: string) {
  await page.getByLabel('Import conversations').setInputFiles({
    name,
    mimeType: 'application/json',
    buffer: Buffer.from(text),
  });
}

test('export to JSON and Markdown, import back as a new conversation; bad files change nothing', async ({
  page,
  context,
}) => {
  await page.goto('/');
  await waitForServiceWorker(page);
  await addTinyModel(page);
  await context.setOffline(true);
  await page.goto('/#/chat');
  await loadModel(page);
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByLabel('Max tokens').fill('16');
  await page.getByLabel('Max tokens').press('Tab');
  const composer = page.getByRole('textbox', { name: 'Message', exact: true });
  await composer.fill('Round trip please');
  await composer.press('Enter');
  await expect(page.getByTestId('reply-stats')).toContainText('16 tokens');

  // One conversation, as JSON.
  await page.getByText('Export', { exact: true }).click();
  const [jsonDownload] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export as JSON' }).click(),
  ]);
  expect(jsonDownload.suggestedFilename()).toMatch(/^nook-round-trip-please-\d{4}-\d\d-\d\d\.json$/);
  const json = await readFile(await jsonDownload.path(), 'utf8');
  const data = JSON.parse(json);
  expect(data).toMatchObject({ format: 'nook-conversations', version: 1 });
  expect(data.conversations[0].messages[1].content).toBe(expectedReply(16));
  expect(data.conversations[0].settings.maxTokens).toBe(16);

  // All conversations, as Markdown.
  const [markdownDownload] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('group', { name: 'Export all' }).getByRole('button', { name: 'Markdown' }).click(),
  ]);
  const markdown = await readFile(await markdownDownload.path(), 'utf8');
  expect(markdown).toContain('# Round trip please');
  expect(markdown).toContain('## You\n\nRound trip please');
  expect(markdown).toContain(`## Nook\n\n${expectedReply(16).trimEnd()}`);

  // Importing the same file adds a copy (a fresh id), never overwriting the original.
  await importText(page, 'export.json', json);
  await expect(page.getByRole('status').filter({ hasText: 'Imported 1 conversation.' })).toBeVisible();
  await expect(conversationItems(page)).toHaveCount(2);
  await expect(conversationItems(page).filter({ hasText: 'Round trip please' })).toHaveCount(2);

  // Malformed files are refused with the reason, and nothing changes.
  await importText(page, 'broken.json', '{"format": "nook-conversations", "version": 1, "conv');
  await expect(page.getByRole('alert')).toHaveText('Import refused: The file is not valid JSON. Nothing was changed.');
  const badRole = conversationExport('Bad', 'x').replace('"role":"user"', '"role":"wizard"');
  await importText(page, 'bad-role.json', badRole);
  await expect(page.getByRole('alert')).toContainText('has the role "wizard"');
  await expect(conversationItems(page)).toHaveCount(2);

  // Everything survives a reload.
  await page.reload();
  await expect(conversationItems(page)).toHaveCount(2);
});

test('untrusted markdown renders inert: scripts, handlers, javascript: links, SVG, remote images', async ({ page }) => {
  const payloads = [
    '<script>window.__xss = 1</script>',
    '<img src=x onerror="window.__xss = 2">',
    '<svg onload="window.__xss = 3"><circle r="4"/></svg>',
    '[click me](javascript:window.__xss=4)',
    '<a href="javascript:window.__xss=5">raw link</a>',
    '<details open ontoggle="window.__xss=6">x</details>',
    '![pixel](https://tracker.example/pixel.png)',
    '<iframe src="javascript:window.__xss=7"></iframe>',
    '```html\n<script>window.__xss = 8</script>\n<img src=x onerror="window.__xss = 9">\n```',
    '**bold** and a [safe link](https://example.org)',
  ];
  await page.goto('/#/chat');
  await importText(page, 'xss.json', conversationExport('XSS corpus', payloads.join('\n\n')));
  await conversationItems(page).filter({ hasText: 'XSS corpus' }).getByRole('button').first().click();
  const reply = page.getByTestId('message-assistant').getByTestId('message-text');
  await expect(reply).toContainText('safe link');
  await afterNextFrame(page);

  expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
  const active = await reply.evaluate((root) => ({
    scripts: root.querySelectorAll('script, iframe, img, svg, object, embed').length,
    handlers: [...root.querySelectorAll('*')].filter((el) => [...el.attributes].some((a) => a.name.startsWith('on')))
      .length,
    badLinks: [...root.querySelectorAll('a')].filter((a) => !/^https?:/.test(a.getAttribute('href') ?? 'https:'))
      .length,
  }));
  expect(active).toEqual({ scripts: 0, handlers: 0, badLinks: 0 });
  // Raw HTML is shown as text; code keeps its text, highlighted, with a Copy button.
  await expect(reply).toContainText('<script>window.__xss = 1</script>');
  await expect(reply.locator('pre code')).toContainText('<img src=x onerror="window.__xss = 9">');
  await expect(reply.locator('pre code .hljs-tag').first()).toBeVisible();
  await expect(reply.getByRole('button', { name: 'Copy code' })).toBeVisible();
  await expect(reply.locator('strong')).toHaveText('bold');
  await expect(reply.getByRole('link', { name: 'safe link' })).toHaveAttribute('href', 'https://example.org');
  // The image became a link: no request to the tracker.
  await expect(reply.getByRole('link', { name: '[pixel]' })).toBeVisible();
});
