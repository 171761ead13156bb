import { expect, test, type Page } from './test';
import { expectedReply } from '../test-support/make-tiny-model.mjs';
import {
  addTinyModel,
  loadModel,
  LONG_MODEL_NAME,
  LONG_MODEL_URL,
  setMaxTokens,
  TINY_MODEL_NAME,
  waitForServiceWorker,
} from './helpers';

/** Counts how many distinct texts the newest reply bubble shows while it streams. */
async function watchNewestReply(page: Page): Promise<void> {
  await page.evaluate(() => {
    const lengths: number[] = [];
    (window as unknown as { replyLengths: number[] }).replyLengths = lengths;
    new MutationObserver(() => {
      const bubbles = document.querySelectorAll('[data-testid="message-assistant"] [data-testid="message-text"]');
      const length = bubbles[bubbles.length - 1]?.textContent?.length ?? 0;
      if (length > 0 && lengths.at(-1) !== length) lengths.push(length);
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
}

const replyLengths = (page: Page) =>
  page.evaluate(() => (window as unknown as { replyLengths: number[] }).replyLengths);

/** "154 tokens · …" → 154 */
async function replyTokenCount(page: Page, index: number): Promise<number> {
  const stats = page.getByTestId('message-assistant').nth(index).getByTestId('reply-stats');
  // A reply of a few hundred tokens can take over 15 s on a busy 2-core machine.
  await expect(stats).toBeVisible({ timeout: 45_000 });
  return Number(/(\d+) tokens?\b/.exec((await stats.textContent()) ?? '')?.[1]);
}

test('offline, a stored model loads and chats through the real engine, reporting the device it used', async ({
  page,
  context,
}, testInfo) => {
  await page.goto('/');
  await waitForServiceWorker(page);
  await addTinyModel(page);

  await context.setOffline(true);
  await page.reload();
  await expect(page.getByTestId('network-status')).toHaveText('Offline');

  // What the device offers, as the app saw it: the webgpu project exposes a real adapter.
  const deviceInfo = page.getByTestId('device-info');
  if (testInfo.project.name === 'webgpu') {
    await expect(deviceInfo).toContainText('adapter without shader-f16');
  } else {
    await expect(deviceInfo).toContainText('WebGPU: not available');
  }

  await page.goto('/#/chat');
  await loadModel(page);
  // llama.cpp cannot use an adapter without shader-f16, so the model really runs on the CPU,
  // and the app must say so rather than what it asked for.
  const threads = await page.evaluate(() => Math.min(navigator.hardwareConcurrency, 8));
  await expect(page.getByTestId('engine-status')).toContainText(
    `${TINY_MODEL_NAME} · wllama · CPU · ${threads} thread${threads === 1 ? '' : 's'}`,
  );

  await watchNewestReply(page);
  const composer = page.getByLabel('Message');
  await composer.fill('Hello, who are you?');
  await composer.press('Enter');
  await expect(page.getByTestId('message-user')).toHaveText(/Hello, who are you\?/);
  const first = await replyTokenCount(page, 0);
  expect(first).toBeGreaterThan(20);
  await expect(page.getByTestId('message-assistant').first().getByTestId('message-text')).toHaveText(
    expectedReply(first),
  );
  // It streamed in, not at once: the first token is shown as soon as it comes, before the rest
  // of this reply of a few hundred tokens, so two states at least whatever the machine's speed
  // (three, the figure asked before, failed once at ~900 tok/s).
  expect((await replyLengths(page)).length).toBeGreaterThanOrEqual(2);
  await expect(page.getByTestId('message-assistant').first().getByTestId('reply-stats')).toContainText('wllama (CPU)');
  // Prompt processing speed, from llama.cpp's own timings, on hover. The loaded model read the
  // conversation's start (the system prompt) while the message was being written, so the first
  // reply read only the rest of its prompt.
  const promptTitle = /^Prompt: (\d+) tokens, (\d+) of them already read, read at [\d.]+ (tok\/s|s\/token)$/;
  const firstStats = page.getByTestId('message-assistant').first().getByTestId('reply-stats');
  await expect(firstStats).toHaveAttribute('title', promptTitle);
  const [, promptTokens, readAhead] = promptTitle.exec((await firstStats.getAttribute('title')) ?? '')!;
  expect(Number(readAhead)).toBeGreaterThan(0);
  expect(Number(readAhead)).toBeLessThan(Number(promptTokens));

  // Shift+Enter is a newline, Enter sends: a second turn.
  await composer.fill('One more');
  await composer.press('Shift+Enter');
  await composer.pressSequentially('thing');
  await expect(composer).toHaveValue('One more\nthing');
  await expect(page.getByTestId('message-user')).toHaveCount(1);
  await composer.press('Enter');
  await expect(page.getByTestId('message-user').nth(1)).toHaveText(/One more\s+thing/);
  const second = await replyTokenCount(page, 1);
  await expect(page.getByTestId('message-assistant').nth(1).getByTestId('message-text')).toHaveText(
    expectedReply(second),
  );
  // The 256-token window cannot hold the first exchange too: the app says where memory begins.
  await expect(page.getByRole('separator')).toHaveText('The model remembers from here on');
  await expect(page.getByRole('alert')).toHaveCount(0);
});

test('Stop ends a long reply early, keeps what was written, and the chat goes on', async ({ page }) => {
  await addTinyModel(page, LONG_MODEL_URL, LONG_MODEL_NAME);
  await page.goto('/#/chat');
  await loadModel(page, 'Nook Tiny 4K');
  // Long enough that no machine ends it before Stop arrives (512 tokens took 0.6 s on a fast CI run).
  const limit = 3000;
  await setMaxTokens(page, String(limit), { close: true });

  const composer = page.getByLabel('Message');
  await composer.fill('Tell me a long story');
  await composer.press('Enter');
  const reply = page.getByTestId('message-assistant').first().getByTestId('message-text');
  await expect(reply).toContainText('Nook runs');
  await page.getByRole('button', { name: 'Stop' }).click();

  const stats = page.getByTestId('message-assistant').first().getByTestId('reply-stats');
  await expect(stats).toContainText('Stopped');
  const kept = (await reply.textContent()) ?? '';
  expect(kept.length).toBeGreaterThan(0);
  expect(kept.length).toBeLessThan(expectedReply(limit).length);
  expect(expectedReply(limit).startsWith(kept)).toBe(true);
  await expect(page.getByRole('button', { name: 'Send' })).toBeVisible();

  // A short second reply: a full 3,000 tokens takes minutes on a busy 2-core machine.
  await setMaxTokens(page, '24');
  await composer.fill('And now?');
  await composer.press('Enter');
  const next = await replyTokenCount(page, 1);
  expect(next).toBe(24);
  await expect(page.getByTestId('message-assistant').nth(1).getByTestId('message-text')).toHaveText(
    expectedReply(next),
  );
  await expect(page.getByRole('alert')).toHaveCount(0);
});
