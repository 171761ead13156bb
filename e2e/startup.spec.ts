import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { FIRST_VIEW_JS_BYTES } from '../test-support/budgets.mjs';
import { READY_MARK } from '../src/state/shell/ready';
import { addTinyModel, appSettled, loadModel, TINY_MODEL_NAME } from './helpers';
import { expect, test, type Page } from './test';

/** What the page fetched up to its READY_MARK (state/shell/ready.ts), by resource timing. */
async function fetchedBeforeReady(page: Page): Promise<string[]> {
  const readyMarks = () => page.evaluate((mark) => performance.getEntriesByName(mark).length, READY_MARK);
  await expect.poll(readyMarks).toBe(1);
  return page.evaluate((mark) => {
    const ready = performance.getEntriesByName(mark)[0]!.startTime;
    return performance
      .getEntriesByType('resource')
      .filter((entry) => entry.startTime <= ready)
      .map((entry) => new URL(entry.name).pathname);
  }, READY_MARK);
}

/** Gzip bytes of these files of the production build the tests run against. */
const gzipBytes = (paths: string[]) =>
  paths.reduce((sum, path) => sum + gzipSync(readFileSync(join('dist', path))).length, 0);

test('the chat is ready to type in having fetched only its own code: within the byte budget, nothing else', async ({
  page,
}) => {
  await page.goto('/');
  const fetched = await fetchedBeforeReady(page);
  const scripts = fetched.filter((path) => /\.m?js$/.test(path));
  expect(scripts.length).toBeGreaterThan(0);
  // Other views, the markdown renderer, speech, the job stores and every worker come after.
  expect(scripts.filter((path) => /View-|render-|create-|jobs-|worker|workbox/.test(path))).toEqual([]);
  const bytes = gzipBytes(scripts);
  expect(bytes, `${scripts.join(', ')}: ${bytes} bytes gzip`).toBeLessThanOrEqual(FIRST_VIEW_JS_BYTES);

  // Once start-up has settled the rest is there: the first switch to another view finds it loaded.
  await appSettled(page);
  const settled = await page.evaluate(() =>
    performance.getEntriesByType('resource').map((entry) => new URL(entry.name).pathname),
  );
  for (const view of ['ModelsView-', 'SummarizeView-', 'DocumentsView-', 'TranslateView-', 'render-']) {
    expect(
      settled.some((path) => path.includes(view)),
      view,
    ).toBe(true);
  }
});

test('the message box takes typing only once the conversation and the draft are read, and then holds the draft', async ({
  page,
}) => {
  await page.goto('/');
  const box = page.getByRole('textbox', { name: 'Message', exact: true });
  await box.fill('half a thought, kept');
  // Saved (state/chat/drafts): the drafts' database exists, the box was writable only after reading it.
  const saved = () =>
    page.evaluate(
      () =>
        new Promise((resolve) => {
          const open = indexedDB.open('nook-drafts');
          open.onsuccess = () => {
            const read = open.result.transaction('drafts').objectStore('drafts').get('new');
            read.onsuccess = () => resolve(read.result);
          };
        }),
    );
  await expect.poll(saved).toBe('half a thought, kept');
  await page.reload();
  // The moment the box is writable (ready), the saved draft is in it: nothing typed there can be
  // overwritten by a draft arriving later, or land in another conversation's draft.
  await expect(box).toBeEditable();
  expect(await box.inputValue()).toBe('half a thought, kept');
});

test('a start on another view is ready when that view is on screen', async ({ page }) => {
  await page.goto('/#/translate');
  await fetchedBeforeReady(page);
  await expect(page.getByRole('heading', { level: 1, name: 'Translate' })).toBeVisible();
  expect(await page.evaluate((mark) => performance.getEntriesByName(mark).length, READY_MARK)).toBe(1);
});

test('one WebGPU adapter request per start, however often the device is asked about', async ({ page }) => {
  await page.addInitScript(() => {
    const gpu = (navigator as Navigator & { gpu?: GPU }).gpu;
    if (!gpu) return;
    const request = gpu.requestAdapter.bind(gpu);
    const counted = window as Window & { adapterRequests?: number };
    counted.adapterRequests = 0;
    gpu.requestAdapter = (options) => {
      counted.adapterRequests!++;
      return request(options);
    };
  });
  await addTinyModel(page);
  // The Models view shows what the device offers; a load picks llama.cpp's path from the same.
  const deviceInfo = page.getByTestId('device-info');
  await expect(deviceInfo).toContainText('WebGPU: not available');
  await page.goto('/#/chat');
  await loadModel(page, TINY_MODEL_NAME);
  await page.goto('/#/models');
  await expect(deviceInfo).toContainText('WebGPU: not available');
  expect(await page.evaluate(() => (window as Window & { adapterRequests?: number }).adapterRequests)).toBe(1);
});

test('a switch to another view before the chat is ready still ends start-up: what it deferred arrives', async ({
  page,
}) => {
  // The app's scripts have run, its databases are still opening: the user clicks away from chat.
  await page.addInitScript(() =>
    document.addEventListener('DOMContentLoaded', () => (location.hash = '#/models'), { once: true }),
  );
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: 'Models' })).toBeVisible();
  await appSettled(page);
  // The device probe and the speech stores come after start-up: both are there.
  await expect(page.getByTestId('device-info')).toContainText('WebGPU: not available');
  await expect(page.getByRole('button', { name: 'Download Whisper tiny' })).toBeVisible();
});
