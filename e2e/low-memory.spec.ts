/**
 * A tab that cannot get the memory a model needs, as on a phone: this project's Chromium caps
 * WebAssembly memory at 128 MB (`--js-flags=--wasm-max-mem-pages=2048`, see playwright.config.ts),
 * so the real llama.cpp fails to allocate the 144 MB model's weights, a 33 MB model's 85 MiB
 * KV cache for its 4,096-token window, or the logits of a 152k-token vocabulary that embeddings
 * compute for a whole micro-batch, as it does on a device that has no more to give. Nothing is
 * faked: the engine, the files and the refusals are real.
 */
import { expect, test } from './test';
import { addTinyModel, ask, loadModel, MODEL_HOST } from './helpers';
import { QWEN_VOCAB_NAME, WIDE_VOCAB_NAME } from './fixtures/model-server.mjs';
import { libraryFiles, UNIQUE_PARAGRAPH, UNIQUE_QUESTION } from './fixtures/library';

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
  // The model's own context stays listed; the window it got is what the loaded badge says.
  const item = page.getByTestId('model-item').filter({ hasText: WIDE_WINDOW_MODEL_NAME });
  await expect(item.getByTestId('model-size')).toContainText('context 4,096 tokens');
  await expect(item.getByTestId('loaded-badge')).toHaveText('Loaded · wllama · CPU · 2,048-token window');
  await page.goto('/#/chat');
  await ask(page, 'Does it answer?');
  await notice.getByRole('button', { name: 'Dismiss' }).click();
  await expect(notice).toHaveCount(0);
});

test('a model whose embeddings find no memory at first gets meaning search with smaller batches', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto('/#/models');
  await addTinyModel(page, `${MODEL_HOST}/models/wide-vocab.gguf`, WIDE_VOCAB_NAME);
  await loadModel(page, WIDE_VOCAB_NAME);
  await page.goto('/#/documents');
  await page.getByLabel('Add files').setInputFiles(libraryFiles());
  // 512-token batches find no memory for their logits (vocabulary × batch floats) at the load,
  // 256-token ones at their first embedding; in 128-token ones the whole library gets its vectors.
  const vectors = page.getByTestId('library-vectors');
  const stopped = page.getByTestId('library-vectors-stopped');
  await expect(vectors.or(stopped)).toBeVisible({ timeout: 90_000 });
  await expect(stopped).toHaveCount(0);
  await expect(vectors).toBeVisible();
});

test('a model that chats but has no memory for meaning search in any batch says so, and questions are still answered by words', async ({
  page,
}) => {
  test.setTimeout(180_000);
  await page.goto('/#/models');
  await addTinyModel(page, `${MODEL_HOST}/models/qwen-vocab.gguf`, QWEN_VOCAB_NAME);
  await loadModel(page, QWEN_VOCAB_NAME);
  await page.goto('/#/documents');
  await page.getByLabel('Add files').setInputFiles(libraryFiles());
  const stopped = page.getByTestId('library-vectors-stopped');
  await expect(stopped.locator('p')).toHaveText(
    new RegExp(
      `^Searching by words only\\. This tab has no memory to search by meaning with ${QWEN_VOCAB_NAME} \\(llama\\.cpp could not set aside [\\d.]+ MB for its working buffers\\)\\. To search by meaning, close other tabs and apps and try again, or use a smaller model\\.$`,
    ),
    { timeout: 120_000 },
  );
  await expect(page.getByTestId('library-vectors')).toHaveCount(0);
  await expect(page.getByTestId('engine-status')).toContainText(QWEN_VOCAB_NAME);

  await page.getByRole('textbox', { name: 'Question' }).fill(UNIQUE_QUESTION);
  await page.getByRole('button', { name: 'Ask', exact: true }).click();
  const source = page.getByTestId('document-source').first();
  await expect(source.getByTestId('source-text')).toContainText(UNIQUE_PARAGRAPH, { timeout: 60_000 });
  await expect(page.getByTestId('document-answer')).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
  await expect(stopped).toBeVisible();
});
