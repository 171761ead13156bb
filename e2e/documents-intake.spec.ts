import { expect, test, type Page } from './test';
import { fakeLaunchQueue, launchFile, waitForServiceWorker } from './helpers';

const items = (page: Page) => page.getByTestId('library-item');
const choice = (page: Page) => page.getByTestId('incoming-choice');

/** What the OS does when the user shares to the installed app: a multipart POST navigation. */
async function share(page: Page, fields: { title?: string; text?: string; file?: { name: string; text: string } }) {
  await page.evaluate(({ title, text, file }) => {
    const form = document.createElement('form');
    form.method = 'POST';
    form.enctype = 'multipart/form-data';
    form.action = '/share-target';
    for (const [name, value] of [
      ['title', title ?? ''],
      ['text', text ?? ''],
    ] as const) {
      const input = document.createElement('input');
      input.name = name;
      input.value = value;
      form.append(input);
    }
    if (file) {
      const input = document.createElement('input');
      input.type = 'file';
      input.name = 'files';
      const files = new DataTransfer();
      files.items.add(new File([file.text], file.name, { type: 'text/markdown' }));
      input.files = files.files;
      form.append(input);
    }
    document.body.append(form);
    form.submit();
  }, fields);
}

test('a file or a text shared with Nook, or a file opened with it, can go to the documents library', async ({
  page,
}) => {
  await fakeLaunchQueue(page);
  await page.goto('/');
  await waitForServiceWorker(page);

  // Shared through the service worker (Web Share Target): the user picks "Add to documents".
  await share(page, { file: { name: 'allotment.md', text: '# Allotment\n\nThe beans go in after the last frost.' } });
  await expect(choice(page)).toContainText('Nook received “allotment.md”');
  await expect(choice(page).getByRole('button')).toHaveText(['Summarize', 'Add to documents', 'Translate', 'Not now']);
  await choice(page).getByRole('button', { name: 'Add to documents' }).click();
  await expect(page).toHaveURL(/#\/documents$/);
  await expect(items(page)).toHaveCount(1);
  await expect(items(page).first()).toContainText('allotment.md');

  // A shared text joins the library under its title.
  await share(page, { title: 'Choir notes', text: 'The choir rehearses on Thursdays in the old chapel.' });
  await choice(page).getByRole('button', { name: 'Add to documents' }).click();
  await expect(items(page)).toHaveCount(2);
  await expect(items(page).first()).toContainText('Choir notes');

  // "Not now" keeps nothing: the shared payload is gone and the library unchanged.
  await share(page, { title: 'Unwanted', text: 'Nothing to keep here.' });
  await choice(page).getByRole('button', { name: 'Not now' }).click();
  await expect(choice(page)).toHaveCount(0);
  await page.goto('/#/documents');
  await expect(items(page)).toHaveCount(2);
  const kept = await page.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open('nook-shared');
        open.onsuccess = () => {
          const count = open.result.transaction('payloads').objectStore('payloads').count();
          count.onsuccess = () => resolve(count.result);
          count.onerror = () => reject(count.error);
        };
        open.onerror = () => reject(open.error);
      }),
  );
  expect(kept).toBe(0);

  // Opened with Nook from the system (launchQueue): the same choice.
  await launchFile(page, 'minutes.txt', 'The board met on Monday and agreed to open the library on Sundays.');
  await choice(page).getByRole('button', { name: 'Add to documents' }).click();
  await expect(items(page)).toHaveCount(3);
  await expect(items(page).first()).toContainText('minutes.txt');

  // Or to Translate.
  await launchFile(page, 'letter.txt', 'Dear Anna, thank you.');
  await choice(page).getByRole('button', { name: 'Translate' }).click();
  await expect(page).toHaveURL(/#\/translate$/);
  await expect(page.getByTestId('translate-source')).toContainText('letter.txt');
});
