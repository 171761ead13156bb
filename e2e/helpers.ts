import { expect, type BrowserContext, type Locator, type Page } from './test';
import { expectedReply } from '../test-support/make-tiny-model.mjs';
import { SETTLED_MARK } from '../src/state/shell/ready';

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

/**
 * Waits for the app's second start-up mark (state/shell/ready.ts): the first view was ready, and
 * everything start-up deferred has run — everything start-up decides has been decided.
 */
export async function appSettled(page: Page): Promise<void> {
  await expect
    .poll(() => page.evaluate((mark) => performance.getEntriesByName(mark).length, SETTLED_MARK))
    .toBeGreaterThan(0);
}

/**
 * Resolves after the page has rendered a frame and run the tasks queued before it: event
 * handlers of inserted elements (onerror, onload) and CSP reports have had their turn. An
 * ordering, not a length of time.
 */
export async function afterNextFrame(page: Page): Promise<void> {
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0))));
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

/**
 * Pieces of model bytes stored: IndexedDB chunks (the fallback store, and models stored before
 * OPFS) plus files in OPFS's `nook-models` folder. Proves nothing half-written stayed behind.
 */
export function countStoredChunks(page: Page): Promise<number> {
  return page.evaluate(async () => {
    const chunks = await new Promise<number>((resolve, reject) => {
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
    });
    let files = 0;
    // (A spec may take OPFS away to try the IndexedDB fallback.)
    if (typeof navigator.storage.getDirectory === 'function')
      try {
        const folder = await (await navigator.storage.getDirectory()).getDirectoryHandle('nook-models');
        for await (const name of (folder as unknown as { keys(): AsyncIterable<string> }).keys()) {
          if (name.endsWith('.gguf')) files++;
        }
      } catch (error) {
        if (!(error instanceof DOMException && error.name === 'NotFoundError')) throw error;
      }
    return chunks + files;
  });
}

/**
 * The stored bytes of every model in one Blob: OPFS files in name order, else IndexedDB chunks.
 * For a spec that stores one single-file model and checks its bytes.
 */
export async function storedModelSha256(page: Page): Promise<string> {
  return page.evaluate(async () => {
    const blobs: Blob[] = [];
    // (A spec may take OPFS away to try the IndexedDB fallback.)
    if (typeof navigator.storage.getDirectory === 'function')
      try {
        const folder = await (await navigator.storage.getDirectory()).getDirectoryHandle('nook-models');
        const handles = (folder as unknown as { values(): AsyncIterable<FileSystemHandle> }).values();
        for await (const handle of handles) {
          if (handle.kind === 'file' && handle.name.endsWith('.gguf')) {
            blobs.push(await (handle as FileSystemFileHandle).getFile());
          }
        }
      } catch (error) {
        if (!(error instanceof DOMException && error.name === 'NotFoundError')) throw error;
      }
    if (blobs.length === 0) {
      const open = indexedDB.open('nook-model-chunks');
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
      blobs.push(
        ...(await new Promise<Blob[]>((resolve, reject) => {
          const request = db.transaction('chunks').objectStore('chunks').getAll();
          request.onsuccess = () => resolve(request.result as Blob[]);
          request.onerror = () => reject(request.error);
        })),
      );
      db.close();
    }
    const digest = await crypto.subtle.digest('SHA-256', await new Blob(blobs).arrayBuffer());
    return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
  });
}

/**
 * Characters of the newest reply as IndexedDB holds it (what a closing tab leaves behind): the
 * way to wait for a debounced save without waiting out the debounce.
 */
export function storedReplyChars(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open('nook-conversations');
        open.onerror = () => reject(open.error);
        open.onupgradeneeded = () => open.result.createObjectStore('conversations');
        open.onsuccess = () => {
          const db = open.result;
          const request = db.transaction('conversations', 'readonly').objectStore('conversations').getAll();
          request.onsuccess = () => {
            db.close();
            const records = request.result as { messages: { role: string; content: string }[] }[];
            const lengths = records.flatMap((record) =>
              record.messages.filter((m) => m.role === 'assistant').map((m) => m.content.trim().length),
            );
            resolve(Math.max(0, ...lengths));
          };
          request.onerror = () => reject(request.error);
        };
      }),
  );
}

/** Bytes this origin stores, as the browser counts them. */
export const storageUsage = (page: Page) => page.evaluate(async () => (await navigator.storage.estimate()).usage ?? 0);

/** A Nook export file's text holding one conversation (a question, then `reply`). */
export function conversationExport(title: string, reply: string, id = 'imported-1'): string {
  return JSON.stringify({
    format: 'nook-conversations',
    version: 1,
    exportedAt: new Date().toISOString(),
    conversations: [
      {
        schemaVersion: 1,
        id,
        title,
        createdAt: 1,
        updatedAt: Date.now(),
        systemPrompt: 'Be kind.',
        settings: { temperature: 0.7, topP: 0.95, maxTokens: 512 },
        messages: [
          { id: 'u', role: 'user', content: 'Show me', createdAt: 1 },
          { id: 'a', role: 'assistant', content: reply, createdAt: 2 },
        ],
      },
    ],
  });
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

export const userTexts = (page: Page) => page.getByTestId('message-user').getByTestId('message-text');
export const conversationItems = (page: Page) => page.getByTestId('conversation-item');

/** Opens the chat's settings panel (if it is not open yet). */
export async function openSettings(page: Page): Promise<void> {
  const toggle = page.getByRole('button', { name: 'Settings' });
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
}

/** Sets the open conversation's reply length; `close` folds the settings panel away again. */
export async function setMaxTokens(page: Page, value: string, { close = false } = {}): Promise<void> {
  await openSettings(page);
  const field = page.getByLabel('Max tokens');
  await field.fill(value);
  await field.press('Tab');
  if (close) await page.getByRole('button', { name: 'Settings' }).click();
}

/**
 * Sends a message and waits for the whole reply (however long the loaded machine takes); checks
 * it is the tiny model's exact greedy text and returns its token count ("1 token" included).
 */
export async function ask(page: Page, text: string): Promise<number> {
  const before = await replies(page).count();
  await composer(page).fill(text);
  await composer(page).press('Enter');
  const stats = replies(page).nth(before).getByTestId('reply-stats');
  await expect(stats).toBeVisible({ timeout: 120_000 });
  const tokens = Number(/(\d+) tokens?\b/.exec((await stats.textContent()) ?? '')?.[1]);
  expect(tokens).toBeGreaterThan(0);
  await expect(replies(page).nth(before).getByTestId('message-text')).toHaveText(expectedReply(tokens));
  return tokens;
}

/** Sends `text` and returns the reply it starts (still streaming). */
export async function startReply(page: Page, text: string): Promise<Locator> {
  const before = await replies(page).count();
  await composer(page).fill(text);
  await composer(page).press('Enter');
  return replies(page).nth(before);
}

/** Sends `text` and waits for the reply to finish (its stats line shows), however long it takes. */
export async function sendAndWait(page: Page, text: string): Promise<Locator> {
  const reply = await startReply(page, text);
  await expect(reply.getByTestId('reply-stats')).toBeVisible({ timeout: 120_000 });
  return reply;
}

/**
 * Records the page's CSP violations from before any of its scripts (markup that reached the DOM
 * and was blocked), as `window.__violations` for the test to read.
 */
export async function recordCspViolations(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __violations: string[] }).__violations = seen;
    document.addEventListener('securitypolicyviolation', (event) =>
      seen.push(`${event.effectiveDirective} ${event.blockedURI}`),
    );
  });
}

/** Connects a model server the way a user does: Models → Model servers, address, key, Connect. */
export async function connectServer(page: Page, url: string, apiKey = ''): Promise<void> {
  await page.goto('/#/models');
  await page.getByLabel('Server address').fill(url);
  await page.getByLabel('API key (optional)').fill(apiKey);
  await page.getByRole('button', { name: 'Connect' }).click();
}

/** Picks a server model for the open conversation ("Use <model> on <host>"), which opens the chat. */
export async function useServerModel(page: Page, modelId: string, url: string): Promise<void> {
  await page.goto('/#/models');
  await page.getByRole('button', { name: `Use ${modelId} on ${new URL(url).host}` }).click();
  await expect(page.getByTestId('server-banner')).toContainText(modelId);
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

/** Downloads the tiny Whisper, then taps Dictate in the chat composer: the microphone is asked for. */
export async function dictateWithSpeechModel(page: Page): Promise<Locator> {
  await page.goto('/');
  await addTinyWhisper(page);
  await page.goto('/#/chat');
  const dictate = page.getByRole('button', DICTATE);
  await dictate.click();
  return dictate;
}

/**
 * What the browser hands an installed app launched by "Open with" (File Handling API): Chromium
 * has a read-only `launchQueue` of its own (empty outside an installed app), shadowed here so a
 * test can launch files with {@link launchFile}. Call before the page loads.
 */
export async function fakeLaunchQueue(page: Page): Promise<void> {
  await page.addInitScript(() => {
    type Params = { files: { getFile(): Promise<File> }[] };
    // As the browser's own: a launch before the page has set its consumer waits for it.
    const launch: { consumer?: (params: Params) => void; waiting: Params[] } = { waiting: [] };
    Object.defineProperty(window, 'launchQueue', {
      configurable: true,
      value: {
        setConsumer: (consumer: (params: Params) => void) => {
          launch.consumer = consumer;
          for (const params of launch.waiting.splice(0)) consumer(params);
        },
      },
    });
    Object.assign(window, {
      __launch: (name: string, text: string) => {
        const params = { files: [{ getFile: async () => new File([text], name, { type: 'text/plain' }) }] };
        if (launch.consumer) launch.consumer(params);
        else launch.waiting.push(params);
      },
    });
  });
}

/** Opens a text file with Nook, as the system's "Open with" would (after {@link fakeLaunchQueue}). */
export async function launchFile(page: Page, name: string, text: string): Promise<void> {
  await page.evaluate(
    ([fileName, fileText]) =>
      (window as unknown as { __launch(name: string, text: string): void }).__launch(fileName!, fileText!),
    [name, text],
  );
}
