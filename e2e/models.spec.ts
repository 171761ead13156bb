import { expect, test } from './test';
import { addModelByUrl, addTinyModel, countStoredChunks, MODEL_HOST, TINY_MODEL_NAME, TINY_MODEL_URL } from './helpers';

test('adding a model by URL shows its progress up to 100 % and lists it as available offline', async ({ page }) => {
  await page.goto('/#/models');
  // Record every text the progress line shows while the (slowed) download runs.
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { progressSeen: string[] }).progressSeen = seen;
    new MutationObserver(() => {
      const text = document.querySelector('[data-testid="download-text"]')?.textContent?.trim();
      if (text && seen.at(-1) !== text) seen.push(text);
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  await page.getByLabel('Model URL').fill(`${MODEL_HOST}/models/slow.gguf`);
  await page.getByRole('button', { name: 'Add model' }).click();
  await expect(page.getByRole('progressbar', { name: 'Download progress' })).toBeVisible();
  const model = page.getByTestId('model-item').filter({ hasText: TINY_MODEL_NAME });
  await expect(model).toContainText('Available offline');
  await expect(model).toContainText('1.2 MB');
  await expect(page.getByRole('progressbar')).toHaveCount(0);

  const seen = await page.evaluate(() => (window as unknown as { progressSeen: string[] }).progressSeen);
  const percents = seen.map((text) => Number(/\((\d+) %\)/.exec(text)?.[1]));
  expect(percents.filter((p) => p > 0 && p < 100).length).toBeGreaterThan(3);
  expect(percents).toContain(100);
  expect(percents).toEqual([...percents].sort((a, b) => a - b)); // never goes backwards
  expect(seen.at(-1)).toMatch(/1\.2 MB of 1\.2 MB/);
});

const badInputs = [
  { what: 'a malformed URL', url: 'not a web address', message: /not a web address/ },
  { what: 'a 404', url: `${MODEL_HOST}/models/missing.gguf`, message: /answered 404/ },
  {
    what: 'a server that is down',
    url: 'http://127.0.0.1:9/models/model.gguf',
    message: /Could not reach 127\.0\.0\.1:9/,
  },
  { what: 'a file that is not GGUF', url: `${MODEL_HOST}/models/not-a-model.gguf`, message: /not a GGUF model/ },
  { what: 'a truncated GGUF', url: `${MODEL_HOST}/models/truncated.gguf`, message: /incomplete/ },
  {
    what: 'a single file over what the engine loads (3 GiB announced), refused before a byte is stored',
    url: `${MODEL_HOST}/models/huge.gguf`,
    message:
      /^This file is 3\.2 GB; the CPU engine loads files of at most 2\.1 GB each\. Use the model split into parts/,
  },
];

test('bad model addresses and files get a clear message, store nothing, and leave the app usable', async ({ page }) => {
  for (const { what, url, message } of badInputs) {
    await test.step(what, async () => {
      await addModelByUrl(page, url);
      await expect(page.getByRole('alert')).toHaveText(message);
      await expect(page.getByTestId('model-item')).toHaveCount(0);
      expect(await countStoredChunks(page)).toBe(0);
    });
  }
  await test.step('a connection that keeps breaking mid-file', async () => {
    // Downloads are resumable now: what arrived is kept as an unfinished download (never listed
    // as a model), and Discard removes every stored byte.
    await addModelByUrl(page, `${MODEL_HOST}/models/broken-connection.gguf`);
    await expect(page.getByRole('alert')).toHaveText(/broke after.*Resume/, { timeout: 20_000 });
    await expect(page.getByTestId('model-item')).toHaveCount(0);
    await expect(page.getByTestId('unfinished-download')).toHaveCount(1);
    await page.getByRole('button', { name: 'Discard broken-connection' }).click();
    await expect(page.getByTestId('unfinished-download')).toHaveCount(0);
    expect(await countStoredChunks(page)).toBe(0);
  });
  // Still usable: the good model goes in afterwards.
  await addTinyModel(page);
  await expect(page.getByRole('alert')).toHaveCount(0);
});

test('cancelling a download stores nothing', async ({ page }) => {
  await addModelByUrl(page, `${MODEL_HOST}/models/slow.gguf`);
  await expect(page.getByTestId('download-text')).toContainText('%');
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('progressbar')).toHaveCount(0);
  await expect(page.getByRole('alert')).toHaveCount(0);
  await expect(page.getByTestId('model-item')).toHaveCount(0);
  expect(await countStoredChunks(page)).toBe(0);
});

test("the tab's title follows a download, and says the model is ready when it ended in a hidden tab", async ({
  page,
}) => {
  // Headless Chromium never hides a page, so the page is told it is hidden, as when the user
  // switches to another tab: document.visibilityState, and the event the browser would fire.
  await page.addInitScript(() => {
    let hidden = false;
    Object.defineProperty(document, 'visibilityState', { get: () => (hidden ? 'hidden' : 'visible') });
    Object.defineProperty(document, 'hidden', { get: () => hidden });
    (window as unknown as { setHidden(value: boolean): void }).setHidden = (value) => {
      hidden = value;
      document.dispatchEvent(new Event('visibilitychange'));
    };
  });
  const setHidden = (hidden: boolean) =>
    page.evaluate((value) => (window as unknown as { setHidden(value: boolean): void }).setHidden(value), hidden);
  await page.goto('/#/models');
  await expect(page).toHaveTitle('Nook');

  // In view: the percent while it runs, the app's own title once stored.
  await addModelByUrl(page, `${MODEL_HOST}/models/slow.gguf`);
  await expect(page).toHaveTitle(/^([1-9]\d?)% · Nook$/);
  await expect(page.getByTestId('model-item').filter({ hasText: TINY_MODEL_NAME })).toContainText('Available offline');
  await expect(page).toHaveTitle('Nook');
  await page.getByRole('button', { name: `Delete ${TINY_MODEL_NAME}` }).click();
  await expect(page.getByTestId('model-item')).toHaveCount(0);

  // Hidden when it ends: the news stays in the title until the tab is shown again.
  await addModelByUrl(page, `${MODEL_HOST}/models/slow.gguf`);
  await expect(page).toHaveTitle(/% · Nook$/);
  await setHidden(true);
  await expect(page).toHaveTitle('Model ready · Nook', { timeout: 20_000 });
  await setHidden(false);
  await expect(page).toHaveTitle('Nook');
  await expect(page.getByTestId('model-item').filter({ hasText: TINY_MODEL_NAME })).toContainText('Available offline');
});

test('the same model is not downloaded twice, and deleting it frees its storage', async ({ page }) => {
  await addTinyModel(page);
  const chunks = await countStoredChunks(page);
  expect(chunks).toBeGreaterThan(0);

  await addModelByUrl(page, TINY_MODEL_URL);
  await expect(page.getByRole('alert')).toHaveText(/already on this device/);
  await expect(page.getByTestId('model-item')).toHaveCount(1);
  expect(await countStoredChunks(page)).toBe(chunks);

  await page.getByRole('button', { name: `Delete ${TINY_MODEL_NAME}` }).click();
  await expect(page.getByTestId('model-item')).toHaveCount(0);
  expect(await countStoredChunks(page)).toBe(0);
  await page.reload();
  await expect(page.getByText('No models yet.')).toBeVisible();
});
