import { expect, test, type Page } from './test';
import { expectedReply } from '../test-support/make-tiny-model.mjs';
import { brokenPdf, longDocument, pdfWithoutText, pdfWithPassword, pdfWithText } from './fixtures/documents';
import { addTinyModel, loadModel, waitForServiceWorker } from './helpers';

/** The tiny model's final pass: 64 tokens (a quarter of its 256-token window). */
const FINAL_REPLY = expectedReply(64).trim();

async function openOfflineWithModel(page: Page, context: import('@playwright/test').BrowserContext): Promise<void> {
  await page.goto('/');
  await waitForServiceWorker(page);
  await addTinyModel(page);
  await context.setOffline(true);
  await page.goto('/#/summarize');
  await expect(page.getByTestId('network-status')).toHaveText('Offline');
}

async function openFile(page: Page, name: string, mimeType: string, buffer: Buffer): Promise<void> {
  await page.getByLabel('Open file').setInputFiles({ name, mimeType, buffer });
}

test('offline, a 20,000-character text is summarized through many map calls and a reduce by the real engine', async ({
  page,
  context,
}) => {
  test.setTimeout(240_000);
  await openOfflineWithModel(page, context);
  await expect(page.getByRole('button', { name: 'Summarize', exact: true })).toBeDisabled();
  await loadModel(page);

  await page.getByRole('button', { name: 'Summarize', exact: true }).click();
  await expect(page.getByTestId('summary-error')).toHaveText(/no text to summarize/);

  const text = longDocument(20_000);
  expect(text.length).toBe(20_000);
  await page.getByLabel('Text to summarize').fill(text);
  await expect(page.getByText('20,000 characters')).toBeVisible();
  await page.getByText('Short').click();
  const started = Date.now();
  await page.getByRole('button', { name: 'Summarize', exact: true }).click();

  const progress = page.getByTestId('summary-progress');
  // Polled, so any part may show; the count of parts is what matters.
  await expect(progress).toHaveText(/Reading part \d+ of \d+/);
  const total = Number(/of (\d+)/.exec((await progress.textContent()) ?? '')?.[1]);
  expect(total).toBeGreaterThan(1);
  await expect(progress).toHaveText(/Combining summaries, round 1: part \d+ of \d+/, { timeout: 180_000 });
  await expect(page.getByRole('button', { name: 'Summarize', exact: true })).toBeVisible({ timeout: 180_000 });
  const seconds = (Date.now() - started) / 1000;
  console.log(`20,000 characters in ${total} parts: ${seconds.toFixed(1)} s`);

  await expect(page.getByTestId('summary-text')).toHaveText(FINAL_REPLY);
  await expect(page.getByRole('heading', { name: 'Summary of Pasted text' })).toBeVisible();
  await expect(page.getByText('Short · Paragraph · Nook Tiny Test · saved')).toBeVisible();
  await expect(page.getByTestId('summary-history-item')).toHaveCount(1);
  await expect(page.getByRole('alert')).toHaveCount(0);

  // Kept across a reload, and downloadable as Markdown.
  await page.reload();
  const saved = page.getByTestId('summary-history-item');
  await expect(saved).toHaveCount(1);
  await saved.getByText('Pasted text').click();
  const download = page.waitForEvent('download');
  await saved.getByRole('button', { name: 'Download .md' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe('summary-pasted-text.md');
  const markdown = await (await import('node:fs/promises')).readFile((await file.path())!, 'utf8');
  expect(markdown).toContain('# Summary of Pasted text');
  expect(markdown.replace(/\s+/g, ' ')).toContain(FINAL_REPLY.replace(/\s+/g, ' '));
});

test('a 5 MB text file is accepted, shows progress, keeps the page responsive, and Stop cancels at once', async ({
  page,
  context,
}) => {
  test.setTimeout(120_000);
  await openOfflineWithModel(page, context);
  await loadModel(page);

  const big = longDocument(5_000_000);
  await openFile(page, 'minutes.txt', 'text/plain', Buffer.from(big));
  await expect(page.getByTestId('summary-source')).toContainText('minutes.txt');
  await expect(page.getByTestId('summary-source')).toContainText('5,000,000 characters');
  await page.getByRole('button', { name: 'Summarize', exact: true }).click();

  const progress = page.getByTestId('summary-progress');
  await expect(progress).toHaveText(/Reading part ([2-9]|\d{2,}) of \d{4,}/, { timeout: 30_000 });
  // The page keeps painting while the model works in its worker.
  const frameGap = await page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        const start = performance.now();
        requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now() - start)));
      }),
  );
  expect(frameGap).toBeLessThan(1000); // two frames; generous for a loaded 2-core machine

  await page.getByRole('button', { name: 'Stop' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Stopped. Nothing was saved.' })).toBeVisible();
  await expect(progress).toHaveCount(0);
  await expect(page.getByTestId('summary-history-item')).toHaveCount(0);

  // The engine is free again: a short text is summarized in one pass.
  await page.getByRole('button', { name: 'Remove' }).click();
  await page.getByLabel('Text to summarize').fill('Nook keeps notes private.');
  await page.getByRole('button', { name: 'Summarize', exact: true }).click();
  await expect(page.getByTestId('summary-history-item')).toHaveCount(1, { timeout: 30_000 });
  await expect(page.getByTestId('summary-text')).toHaveText(FINAL_REPLY);
});

test('offline, a PDF made with pdf-lib is read through pdf.js; locked, broken and scanned PDFs are refused clearly', async ({
  page,
  context,
}) => {
  await openOfflineWithModel(page, context);

  await openFile(
    page,
    'report.pdf',
    'application/pdf',
    await pdfWithText([
      ['Quarterly report of the garden club.', 'Membership grew by twelve people.'],
      ['Next steps: repair the fence.'],
    ]),
  );
  const source = page.getByTestId('summary-source');
  await expect(source).toContainText('report.pdf');
  await expect(source).toContainText('2 pages');
  await expect(page.getByTestId('summary-source-preview')).toContainText('Membership grew by twelve people.');
  await expect(page.getByTestId('summary-source-preview')).toContainText('Next steps: repair the fence.');

  await loadModel(page);
  await page.getByRole('button', { name: 'Summarize', exact: true }).click();
  await expect(page.getByTestId('summary-history-item').filter({ hasText: 'report.pdf' })).toHaveCount(1);
  await expect(page.getByTestId('summary-text')).toHaveText(FINAL_REPLY);

  await page.getByRole('button', { name: 'Remove' }).click();
  await openFile(page, 'locked.pdf', 'application/pdf', await pdfWithPassword());
  await expect(page.getByRole('alert')).toHaveText(/“locked\.pdf” is protected with a password/);

  await openFile(page, 'broken.pdf', 'application/pdf', brokenPdf());
  await expect(page.getByRole('alert')).toHaveText(/“broken\.pdf” could not be read as a PDF: the file is damaged/);

  await openFile(page, 'scan.pdf', 'application/pdf', await pdfWithoutText());
  await expect(page.getByRole('alert')).toHaveText(/“scan\.pdf” has no text layer/);
  await expect(page.getByTestId('summary-source')).toHaveCount(0);
});

test('HTML and Markdown files give their readable text; binary and unsupported files are refused', async ({ page }) => {
  await page.goto('/#/summarize');
  const html =
    '<!doctype html><html><head><title>Page</title><style>p{color:red}</style><script>var secret = 1;</script></head>' +
    '<body><nav hidden>Menu</nav><h1>Harbour news</h1><p>The ferry runs <b>hourly</b> now.</p>' +
    '<script>document.write("injected")</script><noscript>Enable JS</noscript><ul><li>Tickets cost less</li></ul></body></html>';
  await openFile(page, 'news.html', 'text/html', Buffer.from(html));
  const preview = page.getByTestId('summary-source-preview');
  await expect(preview).toContainText('Harbour news');
  await expect(preview).toContainText('The ferry runs hourly now.');
  await expect(preview).toContainText('Tickets cost less');
  for (const hidden of ['secret', 'color:red', 'injected', 'Enable JS', 'Menu'])
    await expect(preview).not.toContainText(hidden);

  await openFile(
    page,
    'notes.md',
    'text/markdown',
    Buffer.from('---\ntitle: x\n---\n# Notes\n\nSee [the docs](https://example.com/docs).'),
  );
  await expect(preview).toHaveText(/# Notes\s+See the docs\./);

  await openFile(page, 'data.txt', 'text/plain', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x01]));
  await expect(page.getByRole('alert')).toHaveText(/“data\.txt” is not a text file/);
  await openFile(page, 'photo.png', 'image/png', Buffer.from([0x89, 0x50, 0x4e, 0x47]));
  await expect(page.getByRole('alert')).toHaveText(/Nook cannot read “photo\.png” \(image\/png\)/);
});

test('text shared from another app (Web Share Target) arrives in the Summarize view through the service worker, once the user picks Summarize', async ({
  page,
}) => {
  await page.goto('/');
  await waitForServiceWorker(page);
  const manifest = await (await page.request.get('/manifest.webmanifest')).json();
  expect(manifest.share_target).toMatchObject({
    action: '/share-target',
    method: 'POST',
    enctype: 'multipart/form-data',
  });
  expect(manifest.file_handlers[0].accept['application/pdf']).toEqual(['.pdf']);
  expect(manifest.shortcuts.map((shortcut: { name: string }) => shortcut.name)).toEqual(['New chat', 'Summarize']);

  // What the OS does when the user shares to the installed app: a multipart POST navigation.
  await page.evaluate(() => {
    const form = document.createElement('form');
    form.method = 'POST';
    form.enctype = 'multipart/form-data';
    form.action = '/share-target';
    for (const [name, value] of [
      ['title', 'Trip plan'],
      ['text', 'We leave on Friday at nine. Bring the maps and the tickets.'],
      ['url', ''],
    ]) {
      const input = document.createElement('input');
      input.name = name!;
      input.value = value!;
      form.append(input);
    }
    document.body.append(form);
    form.submit();
  });
  // Nook asks where it goes (Summarize, Add to documents, Translate).
  const choice = page.getByTestId('incoming-choice');
  await expect(choice).toContainText('Nook received “Trip plan”');
  await choice.getByRole('button', { name: 'Summarize' }).click();
  await expect(page).toHaveURL(/#\/summarize$/);
  const source = page.getByTestId('summary-source');
  await expect(source).toContainText('Trip plan');
  await expect(page.getByTestId('summary-source-preview')).toHaveText(
    'We leave on Friday at nine. Bring the maps and the tickets.',
  );
  await expect(page.getByRole('link', { name: 'Summarize' })).toHaveAttribute('aria-current', 'page');

  // A shared file comes the same way.
  await page.evaluate(() => {
    const form = document.createElement('form');
    form.method = 'POST';
    form.enctype = 'multipart/form-data';
    form.action = '/share-target';
    const input = document.createElement('input');
    input.type = 'file';
    input.name = 'files';
    const files = new DataTransfer();
    files.items.add(new File(['# Shopping\n\nApples and pears.'], 'list.md', { type: 'text/markdown' }));
    input.files = files.files;
    form.append(input);
    document.body.append(form);
    form.submit();
  });
  await choice.getByRole('button', { name: 'Summarize' }).click();
  await expect(source).toContainText('list.md');
  await expect(page.getByTestId('summary-source-preview')).toHaveText(/# Shopping\s+Apples and pears\./);
});
