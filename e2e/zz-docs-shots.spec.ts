import { expect, test } from './test';
import { composer, LONG_MODEL_NAME, LONG_MODEL_URL, replies, setMaxTokens, startOffline } from './helpers';
import { libraryFiles, UNIQUE_QUESTION } from './fixtures/library';

for (const [label, viewport] of [
  ['desktop', { width: 1280, height: 800 }],
  ['phone', { width: 390, height: 844 }],
] as const) {
  test(`screenshots ${label}`, async ({ page, context }) => {
    await page.setViewportSize(viewport);
    await startOffline(page, context, { url: LONG_MODEL_URL, name: LONG_MODEL_NAME });
    await setMaxTokens(page, '24', { close: true });
    await page.getByRole('button', { name: 'Attach documents' }).click();
    await page.getByLabel('Add a file').setInputFiles(libraryFiles());
    await expect(page.getByTestId('attached-document')).toHaveCount(3, { timeout: 30_000 });
    await page.screenshot({ path: `/tmp/x/shot-${label}-panel.png` });
    await page.getByRole('button', { name: 'Done' }).click();
    await page.screenshot({ path: `/tmp/x/shot-${label}-composer.png` });
    await composer(page).fill(UNIQUE_QUESTION);
    await composer(page).press('Enter');
    await expect(replies(page).first().getByTestId('reply-stats')).toBeVisible({ timeout: 120_000 });
    await page.screenshot({ path: `/tmp/x/shot-${label}-reply.png`, fullPage: true });
  });
}
