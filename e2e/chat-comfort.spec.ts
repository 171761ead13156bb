import { expect, test } from './test';
import { expectedReply } from '../test-support/make-tiny-model.mjs';
import {
  addTinyModel,
  composer,
  conversationExport,
  loadModel,
  LONG_MODEL_NAME,
  LONG_MODEL_URL,
  replies,
  setMaxTokens,
  startOffline,
  TINY_MODEL_NAME,
  waitForServiceWorker,
} from './helpers';

test('Esc stops a reply; every reply shows its first-token time, speed, backend and model; Copy copies it', async ({
  page,
  context,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await startOffline(page, context, { url: LONG_MODEL_URL, name: LONG_MODEL_NAME });
  // A reply far longer than the time Esc takes to arrive, however fast the machine (512 tokens
  // ended before Esc once, at 924 tok/s).
  const long = 3000;
  await setMaxTokens(page, String(long), { close: true });
  await composer(page).fill('Tell me a long story');
  await composer(page).press('Enter');
  const reply = replies(page).first().getByTestId('message-text');
  await expect(reply).toContainText('Nook runs entirely');
  await page.keyboard.press('Escape');

  const stats = replies(page).first().getByTestId('reply-stats');
  await expect(stats).toContainText('Stopped');
  const kept = (await reply.textContent()) ?? '';
  expect(kept.length).toBeLessThan(expectedReply(long).length);
  expect(expectedReply(long).startsWith(kept)).toBe(true);
  // "Stopped · 23 tokens · 41.2 tok/s · first token 312 ms · Nook Tiny 4K on wllama (CPU)"
  const line = ((await stats.textContent()) ?? '').replace(/\s+/g, ' ').trim();
  const parts =
    /^Stopped · (\d+) tokens? · ([\d.]+) tok\/s · first token (\d+) ms · (.+) on (\w[\w-]*) \((\w+)\)$/.exec(line);
  expect(parts, line).not.toBeNull();
  const [, tokens, speed, firstToken, model, backend, device] = parts!;
  expect(Number(tokens)).toBeGreaterThan(0);
  expect(Number(speed)).toBeGreaterThan(0);
  expect(Number(firstToken)).toBeGreaterThan(0);
  expect([model, backend, device]).toEqual([LONG_MODEL_NAME, 'wllama', 'CPU']);
  await expect(page.getByRole('button', { name: 'Send' })).toBeVisible();

  // A finished reply says the same, without "Stopped", and Copy puts its text on the clipboard.
  await setMaxTokens(page, '10', { close: true });
  await composer(page).fill('A short one');
  await composer(page).press('Enter');
  const second = replies(page).nth(1);
  await expect(second.getByTestId('reply-stats')).toContainText('10 tokens');
  expect(((await second.getByTestId('reply-stats').textContent()) ?? '').replace(/\s+/g, ' ').trim()).toMatch(
    /^10 tokens · [\d.]+ tok\/s · first token \d+ ms · Nook Tiny 4K on wllama \(CPU\)$/,
  );
  await second.getByRole('button', { name: 'Copy' }).click();
  await expect(second.getByRole('button', { name: 'Copied' })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(expectedReply(10));
  await expect(page.getByRole('alert')).toHaveCount(0);
});

test('a reply cut off by closing the tab is kept, marked as interrupted, when Nook is opened again', async ({
  page,
  context,
}) => {
  await startOffline(page, context, { url: LONG_MODEL_URL, name: LONG_MODEL_NAME });
  await setMaxTokens(page, '4096', { close: true });
  await composer(page).fill('Tell me a very long story');
  await composer(page).press('Enter');
  await expect(replies(page).first().getByTestId('message-text')).toContainText(
    'nothing you type leaves it. Nook runs entirely',
  );
  // Closed mid-reply, without waiting for a save: the page saves on its way out.
  await page.close();

  const again = await context.newPage();
  await again.goto('/#/chat');
  await expect(again.getByTestId('message-user').getByTestId('message-text')).toHaveText('Tell me a very long story');
  const reply = again.getByTestId('message-assistant').first();
  const kept = ((await reply.getByTestId('message-text').textContent()) ?? '').trim();
  expect(kept.length).toBeGreaterThan(40);
  expect(expectedReply(4096).replace(/\s+/g, ' ')).toContain(kept.replace(/\s+/g, ' '));
  await expect(reply.getByTestId('reply-interrupted')).toHaveText(
    'Interrupted: the page closed before this reply finished.',
  );
});

test('a long first message gets a short title written by the model; the chat never waits for it', async ({
  page,
  context,
}) => {
  await startOffline(page, context);
  await setMaxTokens(page, '20', { close: true });
  const question = 'Could you help me plan a relaxed weekend in Lisbon, with good food and some live music?';
  await composer(page).fill(question);
  await composer(page).press('Enter');
  await expect(replies(page).first().getByTestId('reply-stats')).toContainText('20 tokens');

  // The tiny model answers every prompt with the same text, so its title is known: the first line
  // of its reply, cut to eight words, without trailing punctuation.
  const modelTitle = expectedReply(16).split('\n')[0]!.split(' ').slice(0, 8).join(' ').replace(/[,.]$/, '');
  expect(modelTitle).toBe('Nook runs entirely on your device, so nothing');
  const title = page.getByTestId('conversation-title');
  await expect(title).toHaveText(modelTitle);
  await expect(page.getByTestId('conversation-item').first()).toContainText(modelTitle);
  await page.reload();
  await expect(title).toHaveText(modelTitle);

  // Another long first message, and a second message sent the moment the first reply ends: the
  // title is given up for the user's message, which is answered in full.
  await page.getByRole('button', { name: 'New conversation' }).click();
  await loadModel(page);
  await setMaxTokens(page, '12', { close: true });
  await composer(page).fill('Please explain, step by step and with examples, how sourdough starters work.');
  await composer(page).press('Enter');
  await composer(page).fill('And rye flour?');
  await expect(replies(page).first().getByTestId('reply-stats')).toContainText('12 tokens');
  await composer(page).press('Enter');
  await expect(replies(page).nth(1).getByTestId('reply-stats')).toContainText('12 tokens');
  await expect(replies(page).nth(1).getByTestId('message-text')).toHaveText(expectedReply(12));
  await expect(page.getByRole('alert')).toHaveCount(0);
  await expect(title).toHaveText(
    /^(Please explain, step by step and with examples,…|Nook runs entirely on your device, so nothing)$/,
  );
});

test('a second message reads only what is new, even after the model wrote a title in between', async ({
  page,
  context,
}) => {
  // The 4K model's window holds the whole exchange, so the second prompt begins with the first.
  await startOffline(page, context, { url: LONG_MODEL_URL, name: LONG_MODEL_NAME });
  await setMaxTokens(page, '20', { close: true });
  await composer(page).fill('Could you help me plan a relaxed weekend in Lisbon, with good food and some live music?');
  await composer(page).press('Enter');
  await expect(replies(page).first().getByTestId('reply-stats')).toContainText('20 tokens');
  // The title's prompt ran on the engine in between (llama.cpp keeps earlier prompts' state).
  await expect(page.getByTestId('conversation-title')).toHaveText('Nook runs entirely on your device, so nothing');

  await composer(page).fill('And on Sunday?');
  await composer(page).press('Enter');
  await expect(replies(page).nth(1).getByTestId('reply-stats')).toContainText('20 tokens');
  const prompt = async (index: number) => {
    const title = (await replies(page).nth(index).getByTestId('reply-stats').getAttribute('title')) ?? '';
    const [, tokens, read] = /^Prompt: (\d+) tokens(?:, (\d+) of them already read)?/.exec(title)!;
    return { tokens: Number(tokens), read: Number(read ?? 0) };
  };
  const first = await prompt(0);
  const second = await prompt(1);
  // The first exchange was already read, its prompt and most of its 20-token reply as stored (156
  // and 159 of 173 in two runs, the first prompt 137): little but the new message was left to read.
  expect(second.read).toBeGreaterThan(first.tokens + 10);
  expect(second.read).toBeLessThan(second.tokens);
});

test('the manifest shortcuts do what they say: "New chat" opens an empty conversation, "Summarize" the Summarize view', async ({
  page,
  context,
}) => {
  await page.goto('/');
  await waitForServiceWorker(page);
  const manifest = (await (await page.request.get('/manifest.webmanifest')).json()) as {
    shortcuts: { name: string; url: string }[];
  };
  const shortcut = (name: string) => manifest.shortcuts.find((item) => item.name === name)!.url;

  await page.getByLabel('Import conversations').setInputFiles({
    name: 'one.json',
    mimeType: 'application/json',
    buffer: Buffer.from(conversationExport('Earlier chat', 'Hi there.', 'shortcut-1')),
  });
  await page.getByTestId('conversation-item').filter({ hasText: 'Earlier chat' }).getByRole('button').first().click();
  const title = page.getByTestId('conversation-title');
  await expect(title).toHaveText('Earlier chat');

  // Launched from the shortcut: a new window on its address.
  const launched = await context.newPage();
  await launched.goto(shortcut('New chat'));
  await expect(launched.getByTestId('conversation-title')).toHaveText('New conversation');
  await expect(launched.getByTestId('message-user')).toHaveCount(0);
  await expect(launched.getByRole('textbox', { name: 'Message', exact: true })).toBeVisible();
  await expect(launched).toHaveURL(/\/#\/chat$/); // a reload does not start yet another one
  await expect(launched.getByTestId('conversation-item')).toHaveCount(1);
  await launched.close();

  // The app already open on that conversation: the shortcut's address opens a new one there too.
  await page.goto(shortcut('New chat'));
  await expect(title).toHaveText('New conversation');
  await expect(page.getByTestId('message-user')).toHaveCount(0);

  await page.goto(shortcut('Summarize'));
  await expect(page.getByRole('heading', { level: 1, name: 'Summarize' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Summarize' })).toHaveAttribute('aria-current', 'page');
  await expect(page.getByLabel('Text to summarize')).toBeVisible();
});

test('each conversation remembers the model that wrote it, and offers to switch back to it', async ({
  page,
  context,
}) => {
  await startOffline(page, context);
  await setMaxTokens(page, '6', { close: true });
  await composer(page).fill('Written with the small one');
  await composer(page).press('Enter');
  await expect(replies(page).first().getByTestId('reply-stats')).toContainText(`6 tokens`);

  await context.setOffline(false);
  await addTinyModel(page, LONG_MODEL_URL, LONG_MODEL_NAME);
  await loadModel(page, LONG_MODEL_NAME); // from the Models view, replacing the loaded one
  await page.goto('/#/chat');
  await page.getByRole('button', { name: 'New conversation' }).click();
  await setMaxTokens(page, '6', { close: true });
  await composer(page).fill('Written with the long one');
  await composer(page).press('Enter');
  await expect(replies(page).first().getByTestId('reply-stats')).toContainText(`on wllama`);

  // Back in the first conversation, with the other model loaded.
  await page
    .getByTestId('conversation-item')
    .filter({ hasText: 'Written with the small one' })
    .getByRole('button')
    .first()
    .click();
  await expect(page.getByText(`This conversation was written with ${TINY_MODEL_NAME}.`)).toBeVisible();
  await expect(replies(page).first().getByTestId('reply-stats')).toContainText(`${TINY_MODEL_NAME} on wllama`);
  await page.getByRole('button', { name: 'Switch to it' }).click();
  await expect(page.getByTestId('engine-status')).toContainText(TINY_MODEL_NAME, { timeout: 30_000 });
  await expect(page.getByText('This conversation was written with')).toHaveCount(0);
});

test('on a phone a long reply keeps its newest line in view, and stops following once the reader scrolls up', async ({
  page,
  context,
}) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await startOffline(page, context, { url: LONG_MODEL_URL, name: LONG_MODEL_NAME });
  const scrollY = () => page.evaluate(() => window.scrollY);

  // Scrolled up mid-reply: the text goes on growing below, and the view stays where the reader is.
  await setMaxTokens(page, '4096', { close: true });
  await composer(page).fill('Tell me a very long story');
  await composer(page).press('Enter');
  const streaming = replies(page).first().getByTestId('message-text');
  // Long enough to have been followed down by more than a screen.
  await expect.poll(scrollY, { timeout: 60_000 }).toBeGreaterThan(1200);
  await page.mouse.move(195, 400);
  await page.mouse.wheel(0, -800);
  await expect
    .poll(scrollY)
    .toBeLessThan(await page.evaluate(() => document.documentElement.scrollHeight - window.innerHeight - 400));
  const readingAt = await scrollY();
  const length = ((await streaming.textContent()) ?? '').length;
  await expect.poll(async () => ((await streaming.textContent()) ?? '').length).toBeGreaterThan(length + 400);
  expect(await scrollY()).toBeLessThanOrEqual(readingAt + 2);
  await page.keyboard.press('Escape');
  await expect(replies(page).first().getByTestId('reply-stats')).toContainText('Stopped');

  // A new message follows again: each streamed update of this fast model adds several lines at a
  // time, and the reply's last line is on screen when it ends.
  await setMaxTokens(page, '800', { close: true });
  await composer(page).fill('And another one');
  await composer(page).press('Enter');
  await expect(replies(page).nth(1).getByTestId('reply-stats')).toBeVisible({ timeout: 120_000 });
  const { bottom, innerHeight } = await replies(page)
    .nth(1)
    .getByTestId('message-text')
    .evaluate((bubble) => ({ bottom: bubble.getBoundingClientRect().bottom, innerHeight: window.innerHeight }));
  expect(bottom).toBeGreaterThan(0);
  expect(bottom).toBeLessThanOrEqual(innerHeight);
  await expect(page.getByRole('alert')).toHaveCount(0);
});
