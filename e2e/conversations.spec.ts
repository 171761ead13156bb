import { readFile } from 'node:fs/promises';
import { expect, test, type Page } from './test';
import { expectedReply } from '../test-support/make-tiny-model.mjs';
import {
  ask,
  composer,
  conversationItems,
  loadModel,
  LONG_MODEL_NAME,
  LONG_MODEL_URL,
  openSettings,
  replies,
  setMaxTokens,
  startOffline,
  storedReplyChars,
  TINY_MODEL_NAME,
  userTexts,
} from './helpers';

test('conversations persist: multi-turn, reload, new, rename, search, delete', async ({ page, context }) => {
  await startOffline(page, context);
  await setMaxTokens(page, '20');
  expect(await ask(page, 'Plan a trip to Lisbon')).toBe(20);
  expect(await ask(page, 'And what about food?')).toBe(20);
  await expect(page.getByTestId('conversation-title')).toHaveText('Plan a trip to Lisbon');

  await page.getByRole('button', { name: 'New conversation' }).click();
  await expect(page.getByTestId('message-user')).toHaveCount(0);
  // A new conversation starts from the default settings.
  await expect(page.getByLabel('Max tokens')).toHaveValue('512');
  await setMaxTokens(page, '20');
  await ask(page, 'Bread recipes please');
  await expect(conversationItems(page)).toHaveCount(2);
  // Newest first.
  await expect(conversationItems(page).first()).toContainText('Bread recipes please');

  await page.reload();
  await expect(conversationItems(page)).toHaveCount(2);
  await expect(page.getByTestId('conversation-title')).toHaveText('Bread recipes please');
  await expect(userTexts(page)).toHaveText('Bread recipes please');
  await expect(replies(page).getByTestId('message-text')).toHaveText(expectedReply(20));
  await expect(replies(page).getByTestId('reply-stats')).toContainText('20 tokens');

  // The older conversation, all of it, with its own settings.
  await conversationItems(page).filter({ hasText: 'Lisbon' }).getByRole('button').first().click();
  await expect(page.getByTestId('message-user')).toHaveCount(2);
  await expect(userTexts(page).nth(1)).toHaveText('And what about food?');
  await openSettings(page);
  await expect(page.getByLabel('Max tokens')).toHaveValue('20');

  // Rename, search, delete.
  await page.getByRole('button', { name: 'Rename “Plan a trip to Lisbon”' }).click();
  await page.getByLabel('New title').fill('Lisbon trip');
  await page.getByLabel('New title').press('Enter');
  await expect(page.getByTestId('conversation-title')).toHaveText('Lisbon trip');
  await page.getByLabel('Search conversations').fill('FOOD');
  await expect(conversationItems(page)).toHaveCount(1);
  await expect(conversationItems(page)).toContainText('Lisbon trip');
  await page.getByLabel('Search conversations').fill('');
  await page.getByRole('button', { name: 'Delete “Bread recipes please”' }).click();
  await page.getByRole('button', { name: 'Delete for good' }).click();
  await expect(conversationItems(page)).toHaveCount(1);
  await page.reload();
  await expect(conversationItems(page)).toHaveCount(1);
  await expect(conversationItems(page)).toContainText('Lisbon trip');
  await expect(page.getByRole('alert')).toHaveCount(0);
});

test('settings refuse nonsense, clamp visibly, and reset to defaults', async ({ page, context }) => {
  await startOffline(page, context);
  await openSettings(page);
  const temperature = page.getByLabel('Temperature');
  await temperature.fill('-3');
  await temperature.press('Tab');
  await expect(temperature).toHaveValue('0');
  await expect(page.getByText('Temperature must be from 0 to 2: set to 0.')).toBeVisible();
  const maxTokens = page.getByLabel('Max tokens');
  await maxTokens.fill('99999999');
  await maxTokens.press('Tab');
  await expect(maxTokens).toHaveValue('4096');
  const topP = page.getByLabel('Top-p');
  await topP.fill('0.5');
  await topP.press('Tab');
  const systemPrompt = page.getByLabel('System prompt');
  await systemPrompt.fill('Answer in one sentence.');
  await systemPrompt.press('Tab');
  // The conversation keeps its own settings and system prompt (saved once it has a message).
  await setMaxTokens(page, '8');
  await ask(page, 'Hello');
  await page.reload();
  await openSettings(page);
  await expect(systemPrompt).toHaveValue('Answer in one sentence.');
  await expect(temperature).toHaveValue('0');
  await expect(topP).toHaveValue('0.5');
  await expect(maxTokens).toHaveValue('8');

  await page.getByRole('button', { name: 'Reset to defaults' }).click();
  await expect(temperature).toHaveValue('0.7');
  await expect(topP).toHaveValue('0.95');
  await expect(maxTokens).toHaveValue('512');
  await expect(systemPrompt).toHaveValue('You are Nook, a helpful assistant running privately on this device.');
  await page.reload();
  await openSettings(page);
  await expect(maxTokens).toHaveValue('512');
  await expect(systemPrompt).toHaveValue('You are Nook, a helpful assistant running privately on this device.');
});

test('regenerating and editing keep every version: ‹ › moves between them, the rest follows, all of it kept', async ({
  page,
  context,
}) => {
  test.slow(); // six replies, a reload, a second tab and an import
  await startOffline(page, context);
  await setMaxTokens(page, '12');
  await ask(page, 'First question');
  await ask(page, 'Second question');
  const lastReply = (on: Page) => replies(on).nth(1);
  const replyText = (on: Page) => lastReply(on).getByTestId('message-text');
  const replyPlace = (on: Page) => lastReply(on).getByTestId('version-place');
  const firstQuestion = (on: Page) => on.getByTestId('message-user').first();

  // Regenerated twice (shorter each time, so each version reads differently): three versions.
  await setMaxTokens(page, '8');
  await lastReply(page).getByRole('button', { name: 'Regenerate' }).click();
  await expect(lastReply(page).getByTestId('reply-stats')).toContainText('8 tokens');
  await expect(replyText(page)).toHaveText(expectedReply(8));
  await expect(replyPlace(page)).toHaveText('2 / 2');
  await setMaxTokens(page, '5');
  await lastReply(page).getByRole('button', { name: 'Regenerate' }).click();
  await expect(lastReply(page).getByTestId('reply-stats')).toContainText('5 tokens');
  await expect(replyPlace(page)).toHaveText('3 / 3');
  await lastReply(page).getByRole('button', { name: 'Previous version' }).click();
  await expect(replyText(page)).toHaveText(expectedReply(8));
  await lastReply(page).getByRole('button', { name: 'Previous version' }).click();
  await expect(replyText(page)).toHaveText(expectedReply(12));
  await expect(replyPlace(page)).toHaveText('1 / 3');
  await expect(lastReply(page).getByRole('button', { name: 'Previous version' })).toBeDisabled();

  // Edited: a new version of the first question, answered; what followed the old one is kept.
  await firstQuestion(page).getByRole('button', { name: 'Edit' }).click();
  await page.getByLabel('Edited text').fill('A better first question');
  await page.getByRole('button', { name: 'Save and reply' }).click();
  await expect(replies(page).first().getByTestId('reply-stats')).toContainText('5 tokens');
  await expect(userTexts(page)).toHaveText(['A better first question']);
  await expect(firstQuestion(page).getByTestId('version-place')).toHaveText('2 / 2');
  await firstQuestion(page).getByRole('button', { name: 'Previous version' }).click();
  await expect(userTexts(page)).toHaveText(['First question', 'Second question']);
  await expect(replyText(page)).toHaveText(expectedReply(12)); // the version shown last
  await lastReply(page).getByRole('button', { name: 'Next version' }).click();
  await expect(replyText(page)).toHaveText(expectedReply(8));

  // The chosen branch survives an offline reload…
  await page.reload();
  await expect(userTexts(page)).toHaveText(['First question', 'Second question']);
  await expect(replyText(page)).toHaveText(expectedReply(8));
  await expect(replyPlace(page)).toHaveText('2 / 3');
  await expect(firstQuestion(page).getByTestId('version-place')).toHaveText('1 / 2');

  // …shows in a second tab, and a version chosen there shows here.
  const other = await context.newPage();
  await other.goto('/#/chat');
  await expect(replyText(other)).toHaveText(expectedReply(8));
  await lastReply(other).getByRole('button', { name: 'Next version' }).click();
  await expect(replyText(other)).toHaveText(expectedReply(5));
  await expect(replyText(page)).toHaveText(expectedReply(5));
  await expect(replyPlace(page)).toHaveText('3 / 3');
  await other.close();

  // The JSON export keeps the whole tree, the Markdown one the path shown; an import brings it all back.
  await page.getByText('Export', { exact: true }).click();
  const [jsonDownload] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export as JSON' }).click(),
  ]);
  const json = await readFile(await jsonDownload.path(), 'utf8');
  const exported = JSON.parse(json).conversations[0];
  expect(exported.messages.map((m: { content: string }) => m.content)).toEqual([
    'First question',
    expectedReply(12),
    'Second question',
    expectedReply(5),
  ]);
  expect(exported.branches).toHaveLength(4); // two replies, the edit and its answer
  await page.getByText('Export', { exact: true }).click();
  const [markdownDownload] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export as Markdown' }).click(),
  ]);
  const markdown = await readFile(await markdownDownload.path(), 'utf8');
  expect(markdown).toContain('## You (version 1 of 2)\n\nFirst question');
  expect(markdown).toContain(`## Nook (version 3 of 3)\n\n${expectedReply(5).trimEnd()}`);
  expect(markdown).not.toContain('A better first question');

  await page.getByLabel('Import conversations').setInputFiles({
    name: 'versions.json',
    mimeType: 'application/json',
    buffer: Buffer.from(json),
  });
  await expect(page.getByRole('status').filter({ hasText: 'Imported 1 conversation.' })).toBeVisible();
  await expect(conversationItems(page)).toHaveCount(2);
  await conversationItems(page).first().getByRole('button').first().click();
  await expect(replyPlace(page)).toHaveText('3 / 3');
  await firstQuestion(page).getByRole('button', { name: 'Next version' }).click();
  await expect(userTexts(page)).toHaveText(['A better first question']);

  // Deleting a version takes what followed it; the other version takes its place.
  await firstQuestion(page).getByRole('button', { name: 'Delete version' }).click();
  await expect(userTexts(page)).toHaveText(['First question', 'Second question']);
  await expect(firstQuestion(page).getByTestId('versions')).toHaveCount(0);
  // A message with no versions is deleted alone.
  await replies(page).first().getByRole('button', { name: 'Delete', exact: true }).click();
  await expect(userTexts(page)).toHaveText(['First question', 'Second question']);
  await expect(replies(page)).toHaveCount(1);
  await expect(page.getByRole('alert')).toHaveCount(0);
});

test('a reply cut off by a reload is kept, and the chat goes on', async ({ page, context }) => {
  await startOffline(page, context, { url: LONG_MODEL_URL, name: LONG_MODEL_NAME });
  await setMaxTokens(page, '4096');
  await composer(page).fill('Tell me a very long story');
  await composer(page).press('Enter');
  const reply = replies(page).first().getByTestId('message-text');
  await expect(reply).toContainText('nothing you type leaves it. Nook runs entirely');
  // A debounced save of the reply so far has landed (what a reload finds).
  await expect.poll(() => storedReplyChars(page), { timeout: 60_000 }).toBeGreaterThan(70);
  await page.reload();

  await expect(userTexts(page)).toHaveText('Tell me a very long story');
  const kept = ((await reply.textContent()) ?? '').trim();
  expect(kept.length).toBeGreaterThan(70);
  expect(expectedReply(4096).replace(/\s+/g, ' ')).toContain(kept.replace(/\s+/g, ' '));
  await expect(replies(page).first().getByTestId('reply-interrupted')).toBeVisible();

  await loadModel(page, 'Nook Tiny 4K');
  await setMaxTokens(page, '10');
  await ask(page, 'Shorter, please');
});

test('a long conversation on the 256-token model keeps answering, turn after turn', async ({ page, context }) => {
  test.setTimeout(180_000);
  await startOffline(page, context);
  for (let turn = 1; turn <= 8; turn++) {
    const tokens = await ask(page, `Turn ${turn}: tell me more about how you keep my data private on this device.`);
    expect(tokens).toBeGreaterThan(0);
    await expect(page.getByRole('alert')).toHaveCount(0);
  }
  await expect(replies(page)).toHaveCount(8);
  await expect(page.getByRole('separator')).toHaveText('The model remembers from here on');
});

test('a 5 MB paste is refused with a clear message, kept in the box, and the chat goes on', async ({
  page,
  context,
}) => {
  await startOffline(page, context);
  const huge = 'lorem ipsum '.repeat(440_000);
  await composer(page).fill(huge);
  // Refused before anything is counted or sent (no time limit here: the suite does not depend on
  // the machine's speed: the same refusal took 6.7 s on a 2-core machine busy with other work).
  await composer(page).press('Enter');
  await expect(page.getByRole('alert')).toContainText(`too long for ${TINY_MODEL_NAME}`);
  await expect(page.getByRole('alert')).toContainText('million characters');
  // The text stays in the box to shorten, and nothing was sent.
  expect((await composer(page).inputValue()).length).toBe(huge.length);
  await expect(page.getByTestId('message-user')).toHaveCount(0);
  await composer(page).fill('Short now');
  await setMaxTokens(page, '8');
  await ask(page, 'Short now');
});
