import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from './test';
import { addTinyModel, LONG_MODEL_NAME, LONG_MODEL_URL, loadModel } from './helpers';
import { libraryFiles, UNIQUE_QUESTION } from './fixtures/library';

/** Serious and critical axe violations on the page as it is now, one line each. */
async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
}

for (const colorScheme of ['light', 'dark'] as const) {
  test(`the Summarize view with a summary, its options and the opened history has no serious accessibility violations (${colorScheme})`, async ({
    page,
  }) => {
    await page.emulateMedia({ colorScheme });
    await addTinyModel(page);
    await page.goto('/#/summarize');
    // Before a model is loaded: the empty form and the load buttons.
    expect(await seriousViolations(page)).toEqual([]);

    await loadModel(page);
    await page.getByLabel('Text to summarize').fill('The club repaired the fence. The budget grows next year.');
    await page.getByText('Bullet points').click();
    await page.getByRole('button', { name: 'Summarize', exact: true }).click();
    await expect(page.getByTestId('summary-history-item')).toHaveCount(1, { timeout: 30_000 });
    await page.getByTestId('summary-history-item').locator('summary').click();
    await expect(page.getByTestId('summary-history-text')).toContainText('Nook runs');
    expect(await seriousViolations(page)).toEqual([]);

    // A document opened from a file, and an error message.
    await page.getByLabel('Open file').setInputFiles({
      name: 'notes.md',
      mimeType: 'text/markdown',
      buffer: Buffer.from('# Notes\n\nBring the maps.'),
    });
    await expect(page.getByTestId('summary-source')).toContainText('notes.md');
    await page.getByLabel('Open file').setInputFiles({
      name: 'photo.png',
      mimeType: 'image/png',
      buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47]),
    });
    await expect(page.getByRole('alert')).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
  });

  test(`the Models view with a stored model, the catalog and storage has no serious accessibility violations (${colorScheme})`, async ({
    page,
  }) => {
    await page.emulateMedia({ colorScheme });
    await addTinyModel(page);
    await page.goto('/#/chat');
    await loadModel(page);
    await page.goto('/#/models');
    await expect(page.getByRole('heading', { name: 'Catalog' })).toBeVisible();
    await page.getByText('Engine log of the last load').click();
    await expect(page.getByTestId('engine-log')).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
    // A refused address shows its message.
    await page.getByLabel('Model URL').fill('not a url');
    await page.getByRole('button', { name: 'Add model' }).click();
    await expect(page.getByRole('alert').first()).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
  });

  test(`the Documents view with a library, an answer with sources, a refusal and the reader has no serious accessibility violations (${colorScheme})`, async ({
    page,
  }) => {
    await page.emulateMedia({ colorScheme });
    await addTinyModel(page, LONG_MODEL_URL, LONG_MODEL_NAME);
    await page.goto('/#/documents');
    await expect(page.getByTestId('library-empty')).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByLabel('Add files').setInputFiles(libraryFiles());
    await expect(page.getByTestId('library-item')).toHaveCount(3);
    await loadModel(page, LONG_MODEL_NAME);
    await page.getByRole('textbox', { name: 'Question' }).fill(UNIQUE_QUESTION);
    await page.getByRole('button', { name: 'Ask', exact: true }).click();
    await expect(page.getByTestId('document-answer')).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
    await page
      .getByLabel('Add files')
      .setInputFiles({ name: 'empty.txt', mimeType: 'text/plain', buffer: Buffer.alloc(0) });
    await expect(page.getByTestId('document-refusals')).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByTestId('source-link').first().click();
    await expect(page.getByTestId('highlighted-passage')).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
  });

  test(`the Translate view with a flagged translation, the stop choice and the opened history has no serious accessibility violations (${colorScheme})`, async ({
    page,
  }) => {
    test.setTimeout(120_000);
    await page.emulateMedia({ colorScheme });
    await addTinyModel(page);
    await page.goto('/#/translate');
    expect(await seriousViolations(page)).toEqual([]);

    await loadModel(page);
    await page
      .getByLabel('Text to translate')
      .fill('## Visit\n\nThe club meets 12 times a year at https://example.org/club.');
    await expect(page.getByTestId('translate-detected')).toContainText('Detected:');
    await page.getByRole('button', { name: 'Translate', exact: true }).click();
    await expect(page.getByTestId('translation-history-item')).toHaveCount(1, { timeout: 60_000 });
    await expect(page.getByTestId('translation-flag').first()).toBeVisible();
    await page.getByTestId('translation-history-item').locator('summary').click();
    expect(await seriousViolations(page)).toEqual([]);

    // A long text stopped part-way: the keep-or-discard choice.
    await page.getByLabel('Text to translate').fill('The ferry crossed the lake at dawn. '.repeat(40));
    await page.getByRole('button', { name: 'Translate', exact: true }).click();
    await expect(page.getByTestId('translate-progress')).toHaveText(/Part ([2-9]|\d{2,}) of/, { timeout: 60_000 });
    await page.getByRole('button', { name: 'Stop' }).click();
    await expect(page.getByRole('button', { name: 'Discard' })).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
  });
}
