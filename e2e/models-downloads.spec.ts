import { createHash } from 'node:crypto';
import { expect, test, type APIRequestContext, type Page } from './test';
import { makeTinyModel } from '../test-support/make-tiny-model.mjs';
import { warmedCode } from '../test-support/warmed-code.mjs';
import {
  addModelByUrl,
  addTinyModel,
  countStoredChunks,
  storedModelSha256,
  loadModel,
  LONG_MODEL_URL,
  MODEL_HOST,
  storageUsage,
  TINY_MODEL_NAME,
  waitForServiceWorker,
} from './helpers';

const tinyModel = makeTinyModel();
const tinySha256 = createHash('sha256').update(tinyModel).digest('hex');

interface LoggedRequest {
  method: string;
  path: string;
  range: string | null;
  bytesSent: number;
}

/** The model server's request log, for the requests whose path contains `token`. */
async function requestsFor(request: APIRequestContext, token: string): Promise<LoggedRequest[]> {
  const log = (await (await request.get(`${MODEL_HOST}/__requests`)).json()) as LoggedRequest[];
  return log.filter((entry) => entry.path.includes(token) && entry.method === 'GET');
}

test('a connection dropped mid-file resumes from the stored bytes and completes, fetching nothing twice', async ({
  page,
  request,
}) => {
  const token = `drop-${Date.now()}`;
  await addTinyModel(page, `${MODEL_HOST}/models/drop-once/${token}/tiny.gguf`);
  await expect(page.getByRole('alert')).toHaveCount(0);

  const [first, second, ...rest] = await requestsFor(request, token);
  expect(rest).toHaveLength(0);
  expect(first!.range).toBeNull();
  expect(first!.bytesSent).toBeGreaterThan(0);
  expect(first!.bytesSent).toBeLessThan(tinyModel.length);
  // The retry asked only for what was missing, and the two together are the file, once.
  expect(second!.range).toBe(`bytes=${first!.bytesSent}-`);
  expect(first!.bytesSent + second!.bytesSent).toBe(tinyModel.length);
  expect(await storedModelSha256(page)).toBe(tinySha256);
});

test('an unfinished download survives a reload and resumes where it stopped', async ({ page, request }) => {
  const token = `flaky-${Date.now()}`;
  await addModelByUrl(page, `${MODEL_HOST}/models/flaky/${token}/tiny.gguf`);
  // The host keeps dropping: after its retries the app keeps what arrived and says so.
  await expect(page.getByRole('alert')).toHaveText(/broke after.*Resume/, { timeout: 20_000 });
  await expect(page.getByTestId('model-item')).toHaveCount(0);

  await page.reload();
  const paused = page.getByTestId('unfinished-download');
  await expect(paused).toContainText(/paused, \d+ kB of 1\.2 MB \(\d+ %\) stored/);
  await expect(page.getByTestId('model-item')).toHaveCount(0); // never listed half-written

  await request.get(`${MODEL_HOST}/__heal/${token}`);
  await page.getByRole('button', { name: 'Resume tiny' }).click();
  await expect(page.getByTestId('model-item').filter({ hasText: TINY_MODEL_NAME })).toContainText('Available offline');
  await expect(paused).toHaveCount(0);

  const log = await requestsFor(request, token);
  const firstBytes = log[0]!.bytesSent;
  expect(log.at(-1)!.range).toBe(`bytes=${firstBytes}-`);
  expect(log.reduce((sum, entry) => sum + entry.bytesSent, 0)).toBe(tinyModel.length);
  expect(await storedModelSha256(page)).toBe(tinySha256);
});

test('running out of storage gives a clear message, removes the partial file, and keeps other models and chats', async ({
  page,
  context,
}) => {
  await page.goto('/#/models');
  await waitForServiceWorker(page); // its precache counts too: let it finish first
  // Room for one tiny model, not two. (Set before the first write: Chromium's IndexedDB keeps
  // its own view of the space left for a while after each write.)
  const cdp = await context.newCDPSession(page);
  const origin = new URL(page.url()).origin;
  await cdp.send('Storage.overrideQuotaForOrigin', {
    origin,
    quotaSize: (await storageUsage(page)) + tinyModel.length * 1.5,
  });
  await addTinyModel(page);
  const chunksBefore = await countStoredChunks(page);
  // A conversation, to show that running out of space does not touch it either.
  await page.goto('/#/chat');
  await loadModel(page);
  await page.getByLabel('Message').fill('Keep this chat');
  await page.getByLabel('Message').press('Enter');
  await expect(page.getByTestId('message-assistant').getByTestId('reply-stats')).toBeVisible({ timeout: 30_000 });
  const reply = await page.getByTestId('message-assistant').getByTestId('message-text').textContent();

  await addModelByUrl(page, LONG_MODEL_URL);
  await expect(page.getByRole('alert')).toHaveText(/Not enough storage space.*other models and chats are untouched/);
  await expect(page.getByTestId('model-item')).toHaveCount(1);
  await expect(page.getByTestId('model-item')).toContainText(TINY_MODEL_NAME);
  await expect(page.getByTestId('unfinished-download')).toHaveCount(0);
  expect(await countStoredChunks(page)).toBe(chunksBefore);

  await cdp.send('Storage.overrideQuotaForOrigin', { origin });
  await page.reload();
  await expect(page.getByTestId('model-item')).toContainText('Available offline');
  expect(await storedModelSha256(page)).toBe(tinySha256);
  await page.goto('/#/chat');
  await expect(page.getByTestId('message-user').getByTestId('message-text')).toHaveText('Keep this chat');
  await expect(page.getByTestId('message-assistant').getByTestId('message-text')).toHaveText(reply!);
});

test('deleting a model frees its space, and no model bytes sit in the Cache API', async ({ page }) => {
  await page.goto('/#/models');
  await waitForServiceWorker(page); // its precache counts too: let it finish first
  const empty = await storageUsage(page);
  await addTinyModel(page);
  const withModel = await storageUsage(page);
  expect(withModel).toBeGreaterThan(empty + tinyModel.length / 2);
  await expect(page.getByTestId('storage-usage')).toBeVisible();

  // Whatever the service worker cached is the app itself, never a model file.
  const cached = await page.evaluate(async () => {
    const found: { url: string; gguf: boolean }[] = [];
    for (const name of await caches.keys()) {
      const cache = await caches.open(name);
      for (const request of await cache.keys()) {
        const body = new Uint8Array(await ((await cache.match(request))?.arrayBuffer() ?? new ArrayBuffer(0)));
        found.push({ url: request.url, gguf: String.fromCharCode(...body.subarray(0, 4)) === 'GGUF' });
      }
    }
    return found;
  });
  expect(cached.filter((entry) => entry.gguf || entry.url.includes('/models/'))).toEqual([]);

  await page.getByRole('button', { name: `Delete ${TINY_MODEL_NAME}` }).click();
  await expect(page.getByTestId('model-item')).toHaveCount(0);
  await expect.poll(() => storageUsage(page), { timeout: 20_000 }).toBeLessThan(withModel - tinyModel.length / 2);
});

/** Stores the tiny model as Nook did before OPFS: Blob chunks and a record in IndexedDB. */
async function storeModelInIndexedDb(page: Page, bytes: number[]): Promise<void> {
  await page.evaluate(
    async ({ bytes, name }) => {
      const open = (db: string, store: string) =>
        new Promise<IDBDatabase>((resolve, reject) => {
          const request = indexedDB.open(db);
          request.onupgradeneeded = () => request.result.createObjectStore(store);
          request.onsuccess = () => resolve(request.result);
          request.onerror = () => reject(request.error);
        });
      const put = async (db: string, store: string, key: IDBValidKey, value: unknown) => {
        const database = await open(db, store);
        await new Promise<void>((resolve, reject) => {
          const tx = database.transaction(store, 'readwrite');
          tx.objectStore(store).put(value, key);
          tx.oncomplete = () => resolve();
          tx.onerror = () => reject(tx.error);
        });
        database.close();
      };
      const file = new Uint8Array(bytes);
      const half = Math.floor(file.length / 2);
      await put('nook-model-chunks', 'chunks', ['older-model', 0], new Blob([file.slice(0, half)]));
      await put('nook-model-chunks', 'chunks', ['older-model', 1], new Blob([file.slice(half)]));
      await put('nook-models', 'records', 'older-model', {
        schemaVersion: 2,
        id: 'older-model',
        name,
        sourceUrl: 'https://models.example/older.gguf',
        backend: 'wllama',
        sizeBytes: file.length,
        architecture: 'llama',
        contextLength: 256,
        addedAt: Date.now(),
      });
    },
    { bytes, name: TINY_MODEL_NAME },
  );
}

test('a model stored in IndexedDB by an earlier Nook still loads, answers, and deletes', async ({ page }) => {
  await page.goto('/#/models');
  await storeModelInIndexedDb(page, [...tinyModel]);
  await page.reload();
  await expect(page.getByTestId('model-item').filter({ hasText: TINY_MODEL_NAME })).toContainText('Available offline');
  expect(await countStoredChunks(page)).toBe(2);

  await page.goto('/#/chat');
  await loadModel(page);
  await page.getByLabel('Message').fill('Hello from an older model');
  await page.getByLabel('Message').press('Enter');
  await expect(page.getByTestId('message-assistant').getByTestId('reply-stats')).toBeVisible({ timeout: 30_000 });

  // A loaded model cannot be deleted; a fresh page has none loaded.
  await page.goto('/#/models');
  await page.reload();
  await page.getByRole('button', { name: `Delete ${TINY_MODEL_NAME}` }).click();
  await expect(page.getByTestId('model-item')).toHaveCount(0);
  await expect.poll(() => countStoredChunks(page)).toBe(0);
});

test('where OPFS is missing, a download is stored in IndexedDB and loads from there', async ({ page }) => {
  await page.addInitScript(() => {
    // A browser without the Origin Private File System.
    delete (StorageManager.prototype as Partial<StorageManager>).getDirectory;
  });
  await addTinyModel(page);
  const chunks = await page.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open('nook-model-chunks');
        open.onsuccess = () => {
          const request = open.result.transaction('chunks').objectStore('chunks').count();
          request.onsuccess = () => resolve(request.result);
          request.onerror = () => reject(request.error);
        };
        open.onerror = () => reject(open.error);
      }),
  );
  expect(chunks).toBeGreaterThan(0);
  expect(await storedModelSha256(page)).toBe(tinySha256);
  await page.goto('/#/chat');
  await loadModel(page);
});

test('without WebGPU, MLC models say they need it and a GGUF model on the CPU is recommended', async ({ page }) => {
  await page.goto('/#/models');
  const mlc = page.getByTestId('catalog-item').filter({ hasText: 'web-llm on WebGPU' });
  await expect(mlc.first()).toContainText("Won't fit");
  await expect(mlc.first().getByTestId('fit-reason')).toHaveText(/Needs WebGPU/);
  await expect(mlc.first().getByRole('button', { name: /Download/ })).toBeDisabled();
  const recommended = page.getByTestId('catalog-item').filter({ hasText: 'Recommended for this device' });
  await expect(recommended).toHaveCount(1);
  await expect(recommended).toContainText('GGUF · wllama on CPU');
  await expect(recommended).toContainText('Runs well');
  // First run: the view leads with that same model.
  const name = (await recommended.locator('strong').first().textContent())!;
  await expect(page.getByTestId('recommended-name')).toHaveText(name);
});

test('with Data Saver on, a download asks first: "Not now" fetches nothing and leaves nothing; "Download now" stores the model', async ({
  page,
  context,
  request,
}) => {
  const token = `saver-${Date.now()}`;
  const url = `${MODEL_HOST}/models/tagged/${token}/tiny.gguf`;
  await page.goto('/#/models');
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setDataSaverOverride', { dataSaverEnabled: true });
  expect(
    await page.evaluate(() => (navigator as Navigator & { connection: { saveData: boolean } }).connection.saveData),
  ).toBe(true);

  await page.getByLabel('Model URL').fill(url);
  await page.getByRole('button', { name: 'Add model' }).click();
  const question = page.getByTestId('download-question');
  await expect(question).toHaveText(
    /Data Saver is on\. tiny is a download of unknown size\. Download it now, or wait for Wi-Fi\?/,
  );
  // Nothing else can start meanwhile.
  await expect(page.getByRole('button', { name: 'Add model' })).toBeDisabled();
  await question.getByRole('button', { name: 'Not now' }).click();
  await expect(question).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Add model' })).toBeEnabled();
  await expect(page.getByTestId('unfinished-download')).toHaveCount(0);
  await expect(page.getByTestId('model-item')).toHaveCount(0);
  await expect(page.getByRole('alert')).toHaveCount(0);
  expect(await requestsFor(request, token)).toHaveLength(0);
  expect(await countStoredChunks(page)).toBe(0);

  await page.getByLabel('Model URL').fill(url);
  await page.getByRole('button', { name: 'Add model' }).click();
  await question.getByRole('button', { name: 'Download now' }).click();
  await expect(page.getByTestId('model-item').filter({ hasText: TINY_MODEL_NAME })).toContainText('Available offline');
  const [fetched, ...more] = await requestsFor(request, token);
  expect(more).toHaveLength(0);
  expect(fetched!.bytesSent).toBe(tinyModel.length);
  expect(await storedModelSha256(page)).toBe(tinySha256);

  // A speech model asks too, with the catalog's size.
  await page.getByRole('button', { name: 'Download Whisper tiny' }).click();
  await expect(question).toHaveText(/Data Saver is on\. Whisper tiny is a 41 MB download\./);
  await expect(page.getByRole('button', { name: 'Download Whisper base' })).toBeDisabled();
  await question.getByRole('button', { name: 'Not now' }).click();
  await expect(question).toHaveCount(0);
  await expect(page.getByTestId('speech-download')).toHaveCount(0);
  await expect(page.getByTestId('speech-model-item')).toHaveCount(0);
});

test('a download started while offline waits for the network, says so, and then finishes by itself', async ({
  page,
  context,
  request,
}) => {
  const token = `offline-${Date.now()}`;
  await page.goto('/#/models');
  await waitForServiceWorker(page);
  await context.setOffline(true);
  await page.getByLabel('Model URL').fill(`${MODEL_HOST}/models/tagged/${token}/tiny.gguf`);
  await page.getByRole('button', { name: 'Add model' }).click();
  await expect(page.getByTestId('download-rate')).toHaveText('Offline: it goes on by itself when the network is back.');
  await expect(page.getByRole('alert')).toHaveCount(0);
  expect(await requestsFor(request, token)).toHaveLength(0);

  await context.setOffline(false);
  await expect(page.getByTestId('model-item').filter({ hasText: TINY_MODEL_NAME })).toContainText('Available offline');
  await expect(page.getByTestId('download')).toHaveCount(0);
  expect(await storedModelSha256(page)).toBe(tinySha256);
});

test("while a large model downloads, the engine's code is compiled once in a worker of its own, which ends; models load as ever", async ({
  page,
}) => {
  const engineWorkers = () => page.workers().filter((worker) => worker.url().includes('gguf.worker'));
  let started = 0;
  page.on('worker', (worker) => {
    if (worker.url().includes('gguf.worker')) started++;
  });
  await addModelByUrl(page, `${MODEL_HOST}/models/large.gguf`);
  await expect(page.getByTestId('download-text')).toContainText('400 MB');
  // The warm-up: the generated model loaded and answered in the engine's worker, which then ended.
  await expect.poll(() => warmedCode(page), { timeout: 60_000 }).toMatch(/wllama[^/]*\.wasm$/);
  await expect.poll(() => engineWorkers().length).toBe(0);
  expect(started).toBe(1);
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('progressbar')).toHaveCount(0);
  await expect(page.getByRole('alert')).toHaveCount(0);

  // Never among the user's models, and no second warm-up for the same build of the code.
  await addModelByUrl(page, `${MODEL_HOST}/models/large.gguf`);
  await expect(page.getByTestId('download-text')).toContainText('400 MB');
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('progressbar')).toHaveCount(0);
  await addTinyModel(page);
  await expect(page.getByTestId('model-item')).toHaveCount(1);
  expect(started).toBe(1);
  await loadModel(page);
  expect(started).toBe(2);
});
