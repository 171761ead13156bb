import { readFile } from 'node:fs/promises';
import { expect, test, type Page } from './test';
import { composer, LONG_MODEL_NAME, LONG_MODEL_URL, loadModel, replies, setMaxTokens, startOffline } from './helpers';
import { libraryFiles, UNIQUE_PARAGRAPH, UNIQUE_QUESTION } from './fixtures/library';

const chips = (page: Page) => page.getByTestId('attached-document');

async function download(page: Page, button: string): Promise<string> {
  await page.getByText('Export', { exact: true }).click();
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: button }).click()]);
  return readFile(await file.path(), 'utf8');
}

test('documents attached in chat: a reply grounded in them lists its sources, which survive a reload, go into both exports, and stay readable once the document is deleted', async ({
  page,
  context,
}) => {
  // Several answers of up to 512 tokens on a shared 2-core machine: three times the usual budget.
  test.slow();
  await startOffline(page, context, { url: LONG_MODEL_URL, name: LONG_MODEL_NAME });
  await setMaxTokens(page, '24', { close: true });

  // Files added from the composer join the library and are attached; a chip comes off with its button.
  await page.getByRole('button', { name: 'Attach documents' }).click();
  await page.getByLabel('Add a file').setInputFiles(libraryFiles());
  await expect(chips(page)).toHaveCount(3, { timeout: 30_000 });
  await page.getByRole('button', { name: 'Remove bicycle-repair.txt' }).click();
  await expect(chips(page)).toHaveCount(2);
  await expect(page.getByRole('checkbox', { name: 'bicycle-repair.txt' })).not.toBeChecked();
  await page.getByRole('button', { name: 'Done' }).click();

  // A question nothing attached mentions is refused, the model not asked, the text kept in the box.
  await composer(page).fill('How do I find the hole in a tube?');
  await composer(page).press('Enter');
  await expect(page.getByRole('alert')).toContainText('The attached documents do not mention this');
  await expect(composer(page)).toHaveValue('How do I find the hole in a tube?');
  await expect(replies(page)).toHaveCount(0);

  await composer(page).fill(UNIQUE_QUESTION);
  await composer(page).press('Enter');
  const reply = replies(page).first();
  await expect(reply.getByTestId('reply-stats')).toBeVisible({ timeout: 120_000 });
  const sources = reply.getByTestId('reply-source');
  await expect(reply.getByRole('heading', { name: 'Sources' })).toBeVisible();
  await expect(sources.first()).toContainText('[1]');
  await expect(sources.first()).toContainText('village-show.md — Preserves');
  await expect(sources.first()).toContainText(UNIQUE_PARAGRAPH);
  // Only the attached documents were searched.
  await expect(sources.filter({ hasText: 'bicycle-repair.txt' })).toHaveCount(0);

  // Offline reload: the conversation comes back with its attachments and the reply's sources.
  await page.reload();
  await expect(chips(page)).toHaveCount(2);
  await expect(replies(page).first().getByTestId('reply-source').first()).toContainText(UNIQUE_PARAGRAPH);

  const json = JSON.parse(await download(page, 'Export as JSON'));
  const [exported] = json.conversations;
  expect(exported.attachments.map((attached: { name: string }) => attached.name).sort()).toEqual([
    'tide-tables.html',
    'village-show.md',
  ]);
  expect(exported.messages[1].sources[0]).toMatchObject({
    number: 1,
    documentName: 'village-show.md',
    heading: 'Preserves',
    text: expect.stringContaining(UNIQUE_PARAGRAPH),
  });
  const markdown = await download(page, 'Export as Markdown');
  expect(markdown).toContain('Attached documents: ');
  expect(markdown).toMatch(/Sources:\n\n1\. village-show\.md — Preserves, passage \d+\n {3}> .*Thornbury/);

  // The source link opens the document at that passage, highlighted.
  await replies(page).first().getByTestId('reply-source-link').first().click();
  await expect(page.getByRole('heading', { name: 'village-show.md', level: 1 })).toBeVisible();
  await expect(page.getByTestId('highlighted-passage')).toContainText(UNIQUE_PARAGRAPH);

  // Deleted from the library: the saved source stays readable and says the document is gone.
  await page.goto('/#/documents');
  await page.getByRole('button', { name: 'Delete village-show.md' }).click();
  await expect(page.getByTestId('library-item')).toHaveCount(2);
  await page.goto('/#/chat');
  const kept = replies(page).first().getByTestId('reply-source').first();
  await expect(kept.getByTestId('source-gone')).toHaveText('(no longer in your library)');
  await expect(kept).toContainText(UNIQUE_PARAGRAPH);
  await expect(chips(page).filter({ hasText: 'village-show.md' })).toContainText('deleted');
  await loadModel(page, LONG_MODEL_NAME);
  await composer(page).fill('When is high water on Saturday?');
  await composer(page).press('Enter');
  await expect(replies(page).nth(1).getByTestId('reply-stats')).toBeVisible({ timeout: 120_000 });
  await expect(replies(page).nth(1).getByTestId('reply-source').first()).toContainText('tide-tables.html');
});
