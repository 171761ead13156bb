import { readFile } from 'node:fs/promises';
import { expect, test, type Page } from './test';
import { REPLY_CYCLE_TEXT } from '../test-support/make-tiny-model.mjs';
import { composer, replies, startOffline, TINY_MODEL_NAME } from './helpers';

const translateButton = (page: Page) => page.getByRole('button', { name: 'Translate', exact: true });
const history = (page: Page) => page.getByTestId('translation-history-item');

/** A Markdown document of `sections` sections, each with a heading, prose with numbers and a link, a table and code. */
function handbook(sections: number): string {
  const parts = ['# Garden club handbook\n'];
  for (let i = 1; i <= sections; i++) {
    parts.push(
      `## Chapter ${i}\n`,
      `The club met ${i * 3} times this season and planted ${i * 11} trees along the river. ` +
        `Read the [minutes](https://example.org/minutes/${i}) before the next meeting, and bring gloves.\n`,
      `| Task | Hours |\n| --- | --- |\n| Weeding | ${i + 4} |\n| Watering | ${i + 7} |\n`,
      '```sh\n' + `garden plant --row ${i} --tree "oak-${i}"\n` + '```\n',
    );
  }
  return parts.join('\n');
}

test('offline, a Markdown document several windows long is translated part by part by the real engine: code verbatim and in place, order kept, lost numbers flagged, saved', async ({
  page,
  context,
}) => {
  test.setTimeout(300_000);
  await startOffline(page, context, { view: '/#/translate' });
  // This Chromium has no LanguageDetector ready, and a Translator that only offers a download.
  const builtIns = await page.evaluate(() => ({
    detector: 'LanguageDetector' in window,
    translator: 'Translator' in window,
  }));

  const document = handbook(4);
  await page.getByLabel('Open file').setInputFiles({
    name: 'handbook.md',
    mimeType: 'text/markdown',
    buffer: Buffer.from(document),
  });
  await expect(page.getByTestId('translate-source')).toContainText('handbook.md');
  // Detection falls back to the library when the browser's detector is missing or not ready.
  await expect(page.getByTestId('translate-detected')).toHaveText('Detected: English (on this device)');
  await page.getByLabel('Translate to').fill('French');
  await page.getByLabel('Translate to').blur();
  const engineNote = page.getByTestId('translate-engine');
  if (builtIns.translator) {
    // Feature-detected, asked, and set aside without waiting on a download that cannot happen.
    await expect(engineNote).toHaveText(
      `${TINY_MODEL_NAME}, the model loaded on this device, translates: Chrome’s on-device translator does not have English → French on this device (it would need a download).`,
    );
  } else {
    await expect(engineNote).toHaveText(`${TINY_MODEL_NAME}, the model loaded on this device, translates.`);
  }

  await translateButton(page).click();
  const progress = page.getByTestId('translate-progress');
  await expect(progress).toHaveText(/Part \d+ of \d+/);
  const total = Number(/of (\d+)/.exec((await progress.textContent()) ?? '')?.[1]);
  expect(total).toBeGreaterThan(4);
  // Parts stream in order: the first code block is in the output while later parts still run.
  const output = page.getByTestId('translation-text');
  await expect(output.locator('pre').first()).toContainText('garden plant --row 1 --tree "oak-1"', {
    timeout: 120_000,
  });
  await expect(translateButton(page)).toBeVisible({ timeout: 240_000 });
  await expect(page.getByTestId('translate-error')).toHaveCount(0);

  // Every code block verbatim, in document order, with translated text between them.
  const blocks = output.locator('pre');
  await expect(blocks).toHaveCount(4);
  for (let i = 1; i <= 4; i++) await expect(blocks.nth(i - 1)).toHaveText(`garden plant --row ${i} --tree "oak-${i}"`);
  await expect(output).toContainText(REPLY_CYCLE_TEXT.split('\n')[0]!);
  // The tiny model's fixed sentence has no numbers, links or headings: retried, then flagged.
  const flags = page.getByTestId('translation-flag');
  expect(await flags.count()).toBeGreaterThan(1);
  await expect(flags.filter({ hasText: 'may have lost “https://example.org/minutes/1”' })).toHaveCount(1);
  await expect(flags.filter({ hasText: 'came back in another shape' }).first()).toBeVisible();
  await expect(page.getByText(new RegExp(`English → French · ${TINY_MODEL_NAME} · \\d+ parts · saved`))).toBeVisible();
  await expect(history(page)).toHaveCount(1);

  // Kept across a reload, and downloadable as the translated Markdown document.
  await page.reload();
  await expect(history(page)).toHaveCount(1);
  await history(page).getByText('handbook.md').click();
  const download = page.waitForEvent('download');
  await history(page).getByRole('button', { name: 'Download .md' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe('handbook.fr.md');
  const markdown = await readFile((await file.path())!, 'utf8');
  const fences = [...markdown.matchAll(/```sh\n(.*)\n```/g)].map((match) => match[1]);
  expect(fences).toEqual([1, 2, 3, 4].map((i) => `garden plant --row ${i} --tree "oak-${i}"`));
});

test('Stop keeps nothing half-done: the finished parts are kept only when the user keeps them', async ({
  page,
  context,
}) => {
  test.setTimeout(180_000);
  await startOffline(page, context, { view: '/#/translate' });
  // Paragraphs short enough that each is one part in the tiny model's 256-token window.
  const text = Array.from({ length: 40 }, (_, i) => `Paragraph ${i + 1}: the ferry left at dawn.`).join('\n\n');
  await page.getByLabel('Text to translate').fill(text);
  await page.getByLabel('Translate to').fill('Spanish');

  for (const choice of ['Discard', 'Keep'] as const) {
    await translateButton(page).click();
    await expect(page.getByTestId('translate-progress')).toHaveText(/Part ([3-9]|\d{2,}) of \d+/, { timeout: 120_000 });
    await page.getByRole('button', { name: 'Stop' }).click();
    const notice = page.getByRole('status').filter({ hasText: /Stopped after \d+ finished parts?/ });
    await expect(notice).toBeVisible();
    await expect(page.getByTestId('translate-progress')).toHaveCount(0);
    const kept = Number(/after (\d+)/.exec((await notice.textContent()) ?? '')?.[1]);
    expect(kept).toBeGreaterThan(1);
    // Nothing is saved until the user decides.
    await expect(history(page)).toHaveCount(0);
    if (choice === 'Discard') {
      await page.getByRole('button', { name: 'Discard' }).click();
      await expect(page.getByRole('status').filter({ hasText: 'Discarded. Nothing was saved.' })).toBeVisible();
      await expect(page.getByTestId('translation-text')).toHaveCount(0);
      await expect(history(page)).toHaveCount(0);
    } else {
      await page.getByRole('button', { name: `Keep ${kept} finished parts` }).click();
      await expect(history(page)).toHaveCount(1);
      await expect(history(page)).toContainText(`first ${kept} parts only`);
      // Whole parts only: each part is one paragraph of the model's sentence, and no more were kept.
      await expect(page.getByTestId('translation-text').locator('p')).toHaveCount(kept);
    }
  }
});

test('a chat reply and a summary each offer Translate; bad input gets a clear sentence', async ({ page, context }) => {
  test.setTimeout(360_000);
  await startOffline(page, context);
  await composer(page).fill('Tell me about the garden.');
  await composer(page).press('Enter');
  await expect(replies(page).first().getByRole('button', { name: 'Translate' })).toBeVisible({ timeout: 60_000 });
  await replies(page).first().getByRole('button', { name: 'Translate' }).click();
  await expect(page).toHaveURL(/#\/translate$/);
  await expect(page.getByTestId('translate-source')).toContainText('Chat reply');
  // A language outside the list is the model's to try, not a crash.
  await page.getByLabel('Translate to').fill('Klingon');
  await translateButton(page).click();
  // A whole reply of the tiny model is a few dozen parts in its 256-token window.
  await expect(history(page).filter({ hasText: 'Chat reply' })).toHaveCount(1, { timeout: 240_000 });
  await expect(history(page)).toContainText('Klingon');

  await page.getByRole('button', { name: 'Remove' }).click();
  await page.getByLabel('Text to translate').fill('   ');
  await translateButton(page).click();
  await expect(page.getByTestId('translate-error')).toHaveText(
    'There is no text to translate. Paste some text, or open a file.',
  );
  await page.getByLabel('Text to translate').fill('The ferry crosses the lake every morning at seven.');
  await expect(page.getByTestId('translate-detected')).toHaveText('Detected: English (on this device)');
  await page.getByLabel('Translate to').fill('English');
  await translateButton(page).click();
  await expect(page.getByTestId('translate-error')).toHaveText(
    'The text is already in English. Choose another language to translate to.',
  );
  await page.getByLabel('Open file').setInputFiles({
    name: 'photo.png',
    mimeType: 'image/png',
    buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]),
  });
  await expect(page.getByRole('alert')).toHaveText(/Nook cannot read “photo\.png”/);

  await page.goto('/#/summarize');
  await page.getByLabel('Text to summarize').fill('The club repaired the fence.');
  await page.getByRole('button', { name: 'Summarize', exact: true }).click();
  await page.getByTestId('summary-output-actions').getByRole('button', { name: 'Translate' }).click();
  await expect(page).toHaveURL(/#\/translate$/);
  await expect(page.getByTestId('translate-source')).toContainText('Summary of Pasted text');
});
