import { expect, test } from './test';
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

test('regenerate writes the last reply again; editing a message replaces the turns after it', async ({
  page,
  context,
}) => {
  await startOffline(page, context);
  await setMaxTokens(page, '12');
  await ask(page, 'First question');
  await ask(page, 'Second question');
  const firstReplyId = await replies(page)
    .nth(1)
    .evaluate((element) => element.outerHTML.length);
  expect(firstReplyId).toBeGreaterThan(0);

  await replies(page).nth(1).getByRole('button', { name: 'Regenerate' }).click();
  await expect(replies(page)).toHaveCount(2);
  await expect(replies(page).nth(1).getByTestId('reply-stats')).toContainText('12 tokens');
  await expect(replies(page).nth(1).getByTestId('message-text')).toHaveText(expectedReply(12));

  await page.getByTestId('message-user').first().getByRole('button', { name: 'Edit' }).click();
  await page.getByLabel('Edited text').fill('A better first question');
  await page.getByRole('button', { name: 'Save and reply' }).click();
  await expect(page.getByTestId('message-user')).toHaveCount(1);
  await expect(userTexts(page)).toHaveText('A better first question');
  await expect(replies(page)).toHaveCount(1);
  await expect(replies(page).getByTestId('reply-stats')).toContainText('12 tokens');

  // Delete a single message.
  await replies(page).first().getByRole('button', { name: 'Delete' }).click();
  await expect(replies(page)).toHaveCount(0);
  await expect(page.getByTestId('message-user')).toHaveCount(1);
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

test('a 5 MB paste is refused with a clear message, and the page stays responsive', async ({ page, context }) => {
  await startOffline(page, context);
  const huge = 'lorem ipsum '.repeat(440_000);
  await composer(page).fill(huge);
  const started = Date.now();
  await composer(page).press('Enter');
  await expect(page.getByRole('alert')).toContainText(`too long for ${TINY_MODEL_NAME}`);
  await expect(page.getByRole('alert')).toContainText('million characters');
  expect(Date.now() - started).toBeLessThan(5_000);
  // The text stays in the box to shorten, and nothing was sent.
  expect((await composer(page).inputValue()).length).toBe(huge.length);
  await expect(page.getByTestId('message-user')).toHaveCount(0);
  await composer(page).fill('Short now');
  await setMaxTokens(page, '8');
  await ask(page, 'Short now');
});
