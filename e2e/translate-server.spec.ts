// Translate on the user's own model server: real llama.cpp (e2e/llama-server, as in
// hybrid.spec.ts) running the generated tiny GGUF, with no model loaded on this device. The
// server is declared to the privacy check; nothing else may be contacted.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from './test';
import { makeTinyModel, REPLY_CYCLE_TEXT } from '../test-support/make-tiny-model.mjs';
import { startLlamaServer } from './llama-server/server.mjs';
import { connectServer } from './helpers';

let server: Awaited<ReturnType<typeof startLlamaServer>>;
const SERVER_ID = 'nook-translate-server';

test.beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'nook-translate-server-'));
  const modelPath = join(dir, 'tiny.gguf');
  await writeFile(modelPath, makeTinyModel({ name: 'Server Tiny' }));
  // The tiny model's own 256-token window, reported by the server: a short text is several parts.
  server = await startLlamaServer({ modelPath, contextSize: 256, modelId: SERVER_ID });
});
test.afterAll(async () => {
  await server?.close();
});

test('a server model picked in Translate translates with no model on this device; the view and the saved translation say which', async ({
  page,
  privacy,
}) => {
  test.setTimeout(240_000);
  privacy.allow(server.url);
  const host = new URL(server.url).host;
  await page.goto('/');
  await connectServer(page, server.url);
  await expect(page.getByTestId('server-model')).toContainText(SERVER_ID);

  await page.goto('/#/translate');
  const text = Array.from({ length: 4 }, (_, i) => `Paragraph ${i + 1}: the ferry leaves the harbour at dawn.`).join(
    '\n\n',
  );
  await page.getByLabel('Text to translate').fill(text);
  await page.getByLabel('Translate to').fill('German');
  // Without a local model, the view says it cannot translate until a model is there.
  const translate = page.getByRole('button', { name: 'Translate', exact: true });
  await expect(translate).toBeDisabled();
  await page.getByRole('combobox', { name: /^Model/ }).selectOption({ label: `${SERVER_ID} on ${host}` });
  await expect(page.getByTestId('translate-engine')).toHaveText(
    `${SERVER_ID} on ${host} translates: the text is sent to that server, off this device.`,
  );
  server.log.length = 0;
  await translate.click();
  await expect(page.getByTestId('translate-progress')).toHaveText(/Part \d+ of \d+/);
  await expect(page.getByTestId('translation-history-item')).toHaveCount(1, { timeout: 180_000 });
  await expect(page.getByTestId('translate-error')).toHaveCount(0);

  // The translation is the server model's (its known greedy words), and nothing ran locally.
  await expect(page.getByTestId('engine-status')).toHaveCount(0);
  await expect(page.getByTestId('translation-text')).toContainText(REPLY_CYCLE_TEXT.split(' ').slice(0, 3).join(' '));
  const meta = page.getByText(new RegExp(`German · ${SERVER_ID} on ${host} · (\\d+) parts? · saved`));
  await expect(meta).toBeVisible();
  const parts = Number(/(\d+) parts?/.exec((await meta.textContent()) ?? '')?.[1]);
  expect(parts).toBeGreaterThan(1);
  const posted = server.log.filter((entry) => entry.path === '/v1/chat/completions' && entry.method === 'POST');
  expect(posted.length).toBeGreaterThanOrEqual(parts);
  await expect(page.getByTestId('translation-history-item')).toContainText(`${SERVER_ID} on ${host}`);

  // Back to the model on this device: none is loaded, so the view asks for one again.
  await page.getByRole('combobox', { name: /^Model/ }).selectOption({ label: 'The model on this device' });
  await expect(translate).toBeDisabled();
});
