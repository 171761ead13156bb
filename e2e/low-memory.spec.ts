/**
 * A tab that cannot get the memory a model needs, as on a phone: this project's Chromium caps
 * WebAssembly memory at 128 MB (`--js-flags=--wasm-max-mem-pages=2048`, see playwright.config.ts),
 * so the real llama.cpp fails to allocate the 144 MB model's weights, as it does on a device that
 * has no more to give. Nothing is faked: the engine, the file and the refusal are real.
 */
import { expect, test } from './test';
import { addTinyModel, ask, loadModel, MODEL_HOST } from './helpers';

const WIDE_MODEL_NAME = 'Nook Wide Test';

test('a model the tab has no memory for says so and what to do, stays stored, and a smaller one still runs', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await page.goto('/#/models');
  await addTinyModel(page, `${MODEL_HOST}/models/wide.gguf`, WIDE_MODEL_NAME);
  await page.getByRole('button', { name: `Load ${WIDE_MODEL_NAME}` }).click();
  await expect(page.getByRole('alert')).toHaveText(
    `${WIDE_MODEL_NAME} needs more memory than this browser tab could get: llama.cpp could not set aside 144 MB for its weights. Close other tabs and apps, then load it again, or use a smaller model. The model stays stored.`,
    { timeout: 60_000 },
  );
  await expect(page.getByTestId('engine-status')).toHaveCount(0);
  // Not taken for a damaged file: still listed and stored, after a reload too.
  await page.reload();
  await expect(page.getByTestId('model-item').filter({ hasText: WIDE_MODEL_NAME })).toContainText('Available offline');

  await addTinyModel(page);
  await loadModel(page);
  await page.goto('/#/chat');
  await ask(page, 'Still there?');
});
