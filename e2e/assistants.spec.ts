// Assistants: a conversation's set-up saved under a name, picked when a conversation starts (its
// system prompt and settings then apply to real replies), exported to a file and imported back;
// and the ones Nook ships.
import { readFile } from 'node:fs/promises';
import { expect, test, type Page } from './test';
import { ask, conversationItems, openSettings, setMaxTokens, startOffline } from './helpers';

const picker = (page: Page) => page.getByTestId('assistant-picker');

test('offline, an assistant is saved from a conversation, starts another, and goes out and back in a file', async ({
  page,
  context,
}) => {
  test.slow(); // two replies, a reload, an export and an import
  await startOffline(page, context);
  await openSettings(page);
  await page.getByLabel('System prompt').fill('Answer like a pirate.');
  await page.getByLabel('System prompt').press('Tab');
  await setMaxTokens(page, '8');
  await ask(page, 'First chat');

  // Saved from this conversation's set-up; a name is needed.
  await page.getByRole('button', { name: 'Save as assistant…' }).click();
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'An assistant needs a name.' })).toBeVisible();
  await page.getByLabel('Assistant name').fill('Pirate');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved as “Pirate”' })).toBeVisible();

  // A new conversation starts as the assistant: its prompt and settings, on a real reply.
  await page.getByRole('button', { name: 'New conversation' }).click();
  await picker(page).getByRole('button', { name: 'Pirate', exact: true }).click();
  await expect(page.getByTestId('assistant-current')).toContainText('This conversation starts as Pirate');
  await openSettings(page);
  await expect(page.getByLabel('System prompt')).toHaveValue('Answer like a pirate.');
  await expect(page.getByLabel('Max tokens')).toHaveValue('8');
  expect(await ask(page, 'Second chat')).toBe(8);
  await expect(page.getByTestId('assistant-label')).toHaveText('As Pirate');
  await page.reload();
  await expect(page.getByTestId('assistant-label')).toHaveText('As Pirate');

  // Exported, deleted, imported back.
  await page.getByRole('button', { name: 'New conversation' }).click();
  await picker(page).getByRole('button', { name: 'Manage assistants' }).click();
  const panel = page.getByTestId('assistants-panel');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    panel.getByRole('button', { name: 'Export my assistants' }).click(),
  ]);
  const file = await readFile(await download.path(), 'utf8');
  const exported = JSON.parse(file);
  expect(exported).toMatchObject({ format: 'nook-assistants', version: 1 });
  expect(exported.assistants.map((a: { name: string; systemPrompt: string }) => [a.name, a.systemPrompt])).toEqual([
    ['Pirate', 'Answer like a pirate.'],
  ]);
  await panel.getByRole('button', { name: 'Delete Pirate' }).click();
  await expect(picker(page).getByRole('button', { name: 'Pirate', exact: true })).toHaveCount(0);
  await panel.getByLabel('Import assistants').setInputFiles({
    name: 'broken.json',
    mimeType: 'application/json',
    buffer: Buffer.from(file.replace('"Pirate"', '""')),
  });
  await expect(panel.getByRole('alert')).toHaveText(
    'Import refused: Assistant 1: An assistant needs a name. Nothing was changed.',
  );
  await panel.getByLabel('Import assistants').setInputFiles({
    name: 'nook-assistants.json',
    mimeType: 'application/json',
    buffer: Buffer.from(file),
  });
  await expect(panel.getByRole('status')).toHaveText('Imported 1 assistant.');
  await expect(picker(page).getByRole('button', { name: 'Pirate', exact: true })).toBeVisible();

  // Made from scratch and edited in the panel.
  await panel.getByRole('button', { name: 'New assistant' }).click();
  const form = panel.getByTestId('assistant-form');
  await form.getByLabel('Name').fill('Haiku poet');
  await form.getByLabel('System prompt').fill('Answer in a haiku.');
  await form.getByLabel('Max tokens').fill('');
  await form.getByRole('button', { name: 'Save assistant' }).click();
  await expect(form.getByRole('alert')).toContainText('Max tokens');
  await form.getByLabel('Max tokens').fill('40');
  await form.getByRole('button', { name: 'Save assistant' }).click();
  await expect(panel.getByRole('status')).toHaveText('Saved “Haiku poet”.');
  await picker(page).getByRole('button', { name: 'Haiku poet', exact: true }).click();
  await openSettings(page);
  await expect(page.getByLabel('System prompt')).toHaveValue('Answer in a haiku.');
  await expect(page.getByLabel('Max tokens')).toHaveValue('40');

  // One of Nook's own.
  await picker(page).getByRole('button', { name: 'Translator to French', exact: true }).click();
  await expect(page.getByLabel('System prompt')).toHaveValue(/Translate each message the user sends into French/);
  await expect(conversationItems(page)).toHaveCount(2);
});
