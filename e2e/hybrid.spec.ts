// Hybrid use: the user's own model server next to the local model. The server is real llama.cpp
// (e2e/llama-server: node-llama-cpp's CPU build behind an OpenAI-compatible HTTP layer) running
// the generated tiny GGUF, so every server reply is known in advance. Each test declares exactly
// the server it configures to the privacy check.
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from './test';
import { expectedReply, makeTinyModel } from '../test-support/make-tiny-model.mjs';
import { startLlamaServer } from './llama-server/server.mjs';
import {
  addTinyModel,
  composer,
  connectServer,
  loadModel,
  replies,
  setMaxTokens,
  TINY_MODEL_NAME,
  useServerModel,
  waitForServiceWorker,
} from './helpers';

type LlamaServer = Awaited<ReturnType<typeof startLlamaServer>>;
let tiny: LlamaServer;
let long: LlamaServer;
const TINY_ID = 'nook-tiny-server';
const LONG_ID = 'nook-long-server';

test.beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'nook-hybrid-'));
  const tinyPath = join(dir, 'tiny.gguf');
  const longPath = join(dir, 'long.gguf');
  await writeFile(tinyPath, makeTinyModel({ name: 'Server Tiny' }));
  await writeFile(longPath, makeTinyModel({ name: 'Server Long', contextLength: 4096 }));
  tiny = await startLlamaServer({ modelPath: tinyPath, contextSize: 256, modelId: TINY_ID });
  long = await startLlamaServer({ modelPath: longPath, contextSize: 4096, modelId: LONG_ID });
});
test.afterAll(async () => {
  await tiny?.close();
  await long?.close();
});
test.beforeEach(() => {
  for (const server of [tiny, long]) {
    server.setApiKey(undefined);
    server.setAllowedOrigins('*');
    server.log.length = 0;
  }
});

const hostOf = (server: LlamaServer) => new URL(server.url).host;

async function send(page: Page, text: string): Promise<void> {
  await composer(page).fill(text);
  await composer(page).press('Enter');
}

/** Waits for the newest reply's stats and returns its token count. */
async function finishedTokens(page: Page): Promise<number> {
  const stats = replies(page).last().getByTestId('reply-stats');
  await expect(stats).toBeVisible({ timeout: 45_000 });
  return Number(/(\d+) tokens?\b/.exec((await stats.textContent()) ?? '')?.[1]);
}

test('connecting lists the server models with the window it reports; a wrong key is refused; the key stays masked and out of exports', async ({
  page,
  privacy,
}) => {
  privacy.allow(tiny.url);
  tiny.setApiKey('sk-nook-test-0123456789');
  await page.goto('/');
  await connectServer(page, tiny.url, 'sk-wrong-key');
  await expect(page.getByTestId('server-error')).toContainText('the API key is missing or wrong');
  await expect(page.getByTestId('server-item')).toHaveCount(0);

  await page.getByLabel('API key (optional)').fill('sk-nook-test-0123456789');
  await page.getByRole('button', { name: 'Connect' }).click();
  const server = page.getByTestId('server-item');
  await expect(server).toContainText(hostOf(tiny));
  await expect(server.getByTestId('server-key')).toHaveText('••••6789');
  await expect(page.getByTestId('server-model')).toContainText(TINY_ID);
  await expect(page.getByTestId('server-model-context')).toContainText('context 256 tokens (reported by the server)');
  await expect(page.locator('body')).not.toContainText('sk-nook-test-0123456789');

  // Chat once on it, then export everything: the key is nowhere in the file.
  await useServerModel(page, TINY_ID, tiny.url);
  await send(page, 'Hello');
  await finishedTokens(page);
  const download = page.waitForEvent('download');
  await page.getByRole('group', { name: 'Export all' }).getByRole('button', { name: 'JSON' }).click();
  const file = await (await download).path();
  const exported = await readFile(file, 'utf8');
  expect(exported).toContain(TINY_ID);
  expect(exported).not.toContain('sk-nook-test');
});

test('a conversation on a server model: the exact streamed reply, each message marked with where it went, the header says so', async ({
  page,
  privacy,
}) => {
  privacy.allow(tiny.url);
  await page.goto('/');
  await connectServer(page, tiny.url);
  await useServerModel(page, TINY_ID, tiny.url);
  await expect(page.getByTestId('server-status')).toHaveText(`On server: ${TINY_ID} · ${hostOf(tiny)}`);

  await send(page, 'Hello from the browser');
  const tokens = await finishedTokens(page);
  expect(tokens).toBeGreaterThan(10);
  await expect(replies(page).last().getByTestId('message-text')).toHaveText(expectedReply(tokens).trim());
  await expect(page.getByTestId('message-user').getByTestId('sent-to')).toHaveText(
    `Sent to ${TINY_ID} on ${hostOf(tiny)}, off this device`,
  );
  await expect(replies(page).last().getByTestId('sent-to')).toHaveText(`Written by ${TINY_ID} on ${hostOf(tiny)}`);
  const posted = tiny.log.filter((entry) => entry.path === '/v1/chat/completions' && entry.method === 'POST');
  expect(posted).toHaveLength(1);

  // Marks survive a reload; the conversation still runs on the server.
  await page.reload();
  await expect(page.getByTestId('server-status')).toBeVisible();
  await expect(replies(page).last().getByTestId('sent-to')).toHaveText(`Written by ${TINY_ID} on ${hostOf(tiny)}`);
});

test('Stop (Esc) mid-stream closes the request and keeps what the server wrote', async ({ page, privacy }) => {
  privacy.allow(long.url);
  await page.goto('/');
  await connectServer(page, long.url);
  await useServerModel(page, LONG_ID, long.url);
  // A reply long enough to be stopped mid-way however fast the server runs.
  await setMaxTokens(page, '4000');
  await send(page, 'Write a long answer');
  const text = replies(page).last().getByTestId('message-text');
  await expect(text).toContainText('Nook runs entirely', { timeout: 30_000 });
  // Esc, the Stop shortcut: the Stop button itself moves while a fast reply grows the page.
  await expect(page.getByRole('button', { name: 'Stop' })).toBeVisible();
  await composer(page).press('Escape');
  const stats = replies(page).last().getByTestId('reply-stats');
  await expect(stats).toContainText('Stopped');
  const tokens = Number(/(\d+) tokens?\b/.exec((await stats.textContent()) ?? '')?.[1]);
  expect(tokens).toBeLessThan(4000);
  await expect(text).toHaveText(expectedReply(tokens).trim());
});

test('a bad key, a server error and a stream cut mid-reply each get a sentence; the conversation and the partial reply are kept', async ({
  page,
  privacy,
}) => {
  privacy.allow(tiny.url);
  await page.goto('/');
  await connectServer(page, tiny.url);
  await useServerModel(page, TINY_ID, tiny.url);

  tiny.setApiKey('sk-set-later');
  await send(page, 'First try');
  await expect(page.getByTestId('server-failure')).toContainText(`${hostOf(tiny)} refused the request (401)`);
  await expect(page.getByTestId('message-user')).toHaveText(/First try/);
  await expect(replies(page)).toHaveCount(0);

  tiny.setApiKey(undefined);
  tiny.failNext(500);
  await send(page, 'Second try');
  await expect(page.getByTestId('server-failure')).toContainText('failed with a server error (500)');
  await expect(page.getByTestId('server-failure').getByRole('button', { name: 'Use the local model' })).toBeVisible();
  await expect(page.getByTestId('message-user')).toHaveCount(2);

  tiny.cutNextStreamAfter(5);
  await send(page, 'Third try');
  await expect(page.getByTestId('server-failure')).toContainText('before the reply was finished');
  const partial = replies(page).last();
  await expect(partial.getByTestId('message-text')).toHaveText(expectedReply(5));
  await expect(partial.getByTestId('reply-interrupted')).toHaveText(
    `Cut off: the connection to ${hostOf(tiny)} ended before this reply finished.`,
  );
  // Kept across a reload too.
  await page.reload();
  await expect(replies(page).last().getByTestId('message-text')).toHaveText(expectedReply(5));
  await expect(page.getByTestId('message-user')).toHaveCount(3);
});

test('server down, CORS refused, offline: a clear message and one click back to the local model, which answers', async ({
  page,
  context,
  privacy,
  baseURL,
}) => {
  privacy.allow(tiny.url);
  await page.goto('/');
  await waitForServiceWorker(page);
  await addTinyModel(page);

  // Down: a server that was there at Connect and is gone now.
  const dir = await mkdtemp(join(tmpdir(), 'nook-hybrid-down-'));
  await writeFile(join(dir, 'm.gguf'), makeTinyModel({ name: 'Gone' }));
  const gone = await startLlamaServer({ modelPath: join(dir, 'm.gguf'), modelId: 'gone-model' });
  privacy.allow(gone.url);
  await connectServer(page, gone.url);
  await expect(page.getByTestId('server-model')).toContainText('gone-model');
  await gone.close();
  await useServerModel(page, 'gone-model', gone.url);
  await send(page, 'Are you there?');
  const failure = page.getByTestId('server-failure');
  await expect(failure).toContainText(`${hostOf(gone)} does not answer this page`);
  await failure.getByRole('button', { name: 'Use the local model' }).click();
  await expect(page.getByTestId('engine-status')).toContainText(TINY_MODEL_NAME, { timeout: 30_000 });
  await expect(page.getByTestId('server-banner')).toHaveCount(0);
  const tokens = await finishedTokens(page);
  await expect(replies(page).last().getByTestId('message-text')).toHaveText(expectedReply(tokens).trim());
  await expect(replies(page).last().getByTestId('sent-to')).toHaveCount(0);
  await expect(page.getByTestId('message-user')).toHaveText(/Are you there\?/);

  // CORS: the server answers, but not to this origin.
  await connectServer(page, tiny.url);
  await expect(page.getByTestId('server-model').filter({ hasText: TINY_ID })).toBeVisible();
  tiny.setAllowedOrigins([]);
  await useServerModel(page, TINY_ID, tiny.url);
  tiny.log.length = 0;
  await send(page, 'Through CORS?');
  // The page is cross-origin isolated, so the browser cannot say whether the server is down or
  // refused the origin: the sentence names both, with each server's setting.
  await expect(failure).toContainText(`does not accept this page's origin, ${baseURL} (CORS)`);
  await expect(failure).toContainText(`--cors-origins ${baseURL}`);
  await expect(failure).toContainText(`OLLAMA_ORIGINS=${baseURL}`);
  await expect(failure).toContainText('Enable CORS');
  await expect(failure).toContainText(`--allowed-origins '["${baseURL}"]'`);
  // It was the server that refused: its preflight came from this origin and got no CORS headers.
  expect(tiny.log.some((entry) => entry.method === 'OPTIONS' && entry.origin === baseURL)).toBe(true);
  await failure.getByRole('button', { name: 'Use the local model' }).click();
  await expect(page.getByTestId('message-user')).toHaveCount(2);
  await expect(replies(page)).toHaveCount(2, { timeout: 45_000 });
  await finishedTokens(page);

  // Offline: the browser has no network at all.
  tiny.setAllowedOrigins('*');
  await useServerModel(page, TINY_ID, tiny.url);
  await context.setOffline(true);
  await send(page, 'Offline now');
  await expect(failure).toContainText(`You are offline, so ${hostOf(tiny)} cannot be reached`);
  await failure.getByRole('button', { name: 'Use the local model' }).click();
  await expect(replies(page)).toHaveCount(3, { timeout: 45_000 });
  await finishedTokens(page);
  await expect(page.getByTestId('message-user')).toHaveCount(3);
});

test('a reply written locally can be asked again of the server, for that reply only', async ({ page, privacy }) => {
  privacy.allow(tiny.url);
  await page.goto('/');
  await addTinyModel(page);
  await connectServer(page, tiny.url);
  await expect(page.getByTestId('server-model')).toContainText(TINY_ID);
  await page.goto('/#/chat');
  await loadModel(page);
  await send(page, 'Hello locally');
  await finishedTokens(page);
  await expect(replies(page).last().getByTestId('sent-to')).toHaveCount(0);
  expect(tiny.log.filter((entry) => entry.path === '/v1/chat/completions')).toHaveLength(0);

  await replies(page)
    .last()
    .getByRole('button', { name: `Ask ${TINY_ID} on ${hostOf(tiny)}` })
    .click();
  await expect(replies(page).last().getByTestId('sent-to')).toHaveText(`Written by ${TINY_ID} on ${hostOf(tiny)}`, {
    timeout: 45_000,
  });
  const tokens = await finishedTokens(page);
  await expect(replies(page).last().getByTestId('message-text')).toHaveText(expectedReply(tokens).trim());
  await expect(replies(page)).toHaveCount(1);
  // The conversation itself stays local.
  await expect(page.getByTestId('server-banner')).toHaveCount(0);
  await expect(page.getByTestId('server-status')).toHaveCount(0);
});

test('privacy: with a server configured, chatting and summarizing locally sends it nothing', async ({
  page,
  privacy,
}) => {
  privacy.allow(tiny.url);
  await page.goto('/');
  await addTinyModel(page);
  await connectServer(page, tiny.url);
  await expect(page.getByTestId('server-model')).toContainText(TINY_ID);
  tiny.log.length = 0;
  const mark = await privacy.mark();

  await page.reload();
  await page.goto('/#/chat');
  await loadModel(page);
  await send(page, 'Just between us');
  await finishedTokens(page);
  await send(page, 'And once more');
  await expect(replies(page)).toHaveCount(2);
  await finishedTokens(page);
  await page.goto('/#/models');
  await expect(page.getByTestId('server-model')).toContainText(TINY_ID);

  expect(tiny.log).toEqual([]);
  const toServer = (await privacy.requestsSince(mark)).filter((entry) => entry.url.startsWith(tiny.url));
  expect(toServer).toEqual([]);
});

test('Summarize takes the same choice: with a server model picked, the text is summarized there and saved', async ({
  page,
  privacy,
}) => {
  privacy.allow(long.url);
  await page.goto('/');
  await connectServer(page, long.url);
  await expect(page.getByTestId('server-model')).toContainText(LONG_ID);
  await page.goto('/#/summarize');
  await page.getByRole('combobox', { name: /^Model/ }).selectOption({ label: `${LONG_ID} on ${hostOf(long)}` });
  await expect(page.getByTestId('summary-server')).toContainText(`sent to ${hostOf(long)} (${LONG_ID})`);
  await page
    .getByLabel('Text to summarize')
    .fill('The harbour committee met on Tuesday about the new ferry. '.repeat(30));
  await page.getByRole('button', { name: 'Summarize', exact: true }).click();
  await expect(page.getByTestId('summary-history-item')).toHaveCount(1, { timeout: 60_000 });
  // No model on this device was loaded: the summary is the server's (its known greedy output).
  await expect(page.getByTestId('engine-status')).toHaveCount(0);
  const summary = ((await page.getByTestId('summary-text').textContent()) ?? '').trim();
  expect(summary.length).toBeGreaterThan(20);
  expect(expectedReply(4000).startsWith(summary)).toBe(true);
  const posted = long.log.filter((entry) => entry.path === '/v1/chat/completions' && entry.method === 'POST');
  expect(posted.length).toBeGreaterThan(0);
});
