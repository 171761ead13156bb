import { expect, type BrowserContext, type Page } from './test';

export const MODEL_HOST = `http://127.0.0.1:${process.env.NOOK_MODEL_PORT ?? 4180}`;
export const TINY_MODEL_URL = `${MODEL_HOST}/models/tiny.gguf`;
export const TINY_MODEL_NAME = 'Nook Tiny Test';
/** The same model declaring a 4096-token window: replies long enough to stop mid-way. */
export const LONG_MODEL_URL = `${MODEL_HOST}/models/tiny-4k.gguf`;
export const LONG_MODEL_NAME = 'Nook Tiny 4K';

/** Waits until the service worker is active and controls the page (the app can start offline). */
export async function waitForServiceWorker(page: Page): Promise<void> {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise((resolve) =>
        navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }),
      );
    }
  });
}

/** Adds a model the way a user does: Models view, paste the URL, Add model. */
export async function addModelByUrl(page: Page, url: string): Promise<void> {
  await page.goto('/#/models');
  await page.getByLabel('Model URL').fill(url);
  await page.getByRole('button', { name: 'Add model' }).click();
}

export async function addTinyModel(page: Page, url = TINY_MODEL_URL, name = TINY_MODEL_NAME): Promise<void> {
  await addModelByUrl(page, url);
  await expect(page.getByTestId('model-item').filter({ hasText: name })).toContainText('Available offline');
}

export async function loadModel(page: Page, name = TINY_MODEL_NAME): Promise<void> {
  await page.getByRole('button', { name: `Load ${name}` }).click();
  await expect(page.getByTestId('engine-status')).toContainText(name, { timeout: 30_000 });
}

/** Number of stored model chunks in IndexedDB: proves nothing half-written stayed behind. */
export function countStoredChunks(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open('nook-model-chunks');
        open.onerror = () => reject(open.error);
        open.onupgradeneeded = () => open.result.createObjectStore('chunks');
        open.onsuccess = () => {
          const db = open.result;
          const tx = db.transaction('chunks', 'readonly');
          const request = tx.objectStore('chunks').count();
          request.onsuccess = () => {
            db.close();
            resolve(request.result);
          };
          request.onerror = () => reject(request.error);
        };
      }),
  );
}

export const composer = (page: Page) => page.getByRole('textbox', { name: 'Message', exact: true });
export const replies = (page: Page) => page.getByTestId('message-assistant');

/**
 * Adds a model, goes offline (the app keeps working from its service worker), opens `view` and
 * loads the model there.
 */
export async function startOffline(
  page: Page,
  context: BrowserContext,
  { url = TINY_MODEL_URL, name = TINY_MODEL_NAME, view = '/#/chat' } = {},
): Promise<void> {
  await page.goto('/');
  await waitForServiceWorker(page);
  await addTinyModel(page, url, name);
  await context.setOffline(true);
  await page.goto(view);
  await loadModel(page, name);
}

/** The e2e model host as a mirror: it serves the generated tiny Whisper as onnx-community/whisper-tiny. */
export const SPEECH_MIRROR = `${MODEL_HOST}/mirror`;
export const DICTATE = { name: 'Dictate', exact: true } as const;

/**
 * Downloads the tiny Whisper the way a user gets a speech model: Models → Model source set to the
 * e2e mirror, then Speech to text → Download. Waits until it is listed (loaded once, so offline-ready).
 */
export async function addTinyWhisper(page: Page): Promise<void> {
  await page.goto('/#/models');
  await page.getByLabel('Mirror base URL').fill(SPEECH_MIRROR);
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('button', { name: 'Download Whisper tiny' }).click();
  await expect(page.getByTestId('speech-model-item')).toContainText('Available offline', { timeout: 60_000 });
}
