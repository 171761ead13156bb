/**
 * A tab that cannot get the memory a model needs, as on a phone: this project's Chromium caps
 * WebAssembly memory at 128 MB (`--js-flags=--wasm-max-mem-pages=2048`, see playwright.config.ts),
 * so the real llama.cpp fails to allocate the 144 MB model's weights, or a 33 MB model's 85 MiB
 * KV cache for its 4,096-token window, as it does on a device that has no more to give. Nothing
 * is faked: the engine, the files and the refusals are real.
 */
import { expect, test } from './test';
import { addTinyModel, ask, loadModel, MODEL_HOST } from './helpers';

const WIDE_WINDOW_MODEL_NAME = 'Nook Wide Window Test';

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

test('a model whose weights fit but whose full window does not runs with a smaller window, and says so', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await page.goto('/#/models');
  await addTinyModel(page, `${MODEL_HOST}/models/wide-window.gguf`, WIDE_WINDOW_MODEL_NAME);
  await loadModel(page, WIDE_WINDOW_MODEL_NAME);
  const notice = page.getByTestId('smaller-window');
  await expect(notice.locator('p')).toHaveText(
    `${WIDE_WINDOW_MODEL_NAME} runs with a 2,048-token window instead of 4,096: this tab had no memory for the larger one. Long chats and documents are shortened to fit. To get the full window, close other tabs and apps, then load the model again.`,
  );
  await expect(page.getByRole('alert')).toHaveCount(0);
  await page.goto('/#/chat');
  await ask(page, 'Does it answer?');
  await notice.getByRole('button', { name: 'Dismiss' }).click();
  await expect(notice).toHaveCount(0);
});
