/**
 * Faults a careful user will meet, each through the real engine and the real storage: a tab
 * closed mid-reply, mid-download or mid-summary, the engine worker dying, two tabs, an update
 * while typing, storage running out or cleared. Nothing the user wrote may be lost in any of them.
 * (A lost WebGPU device is in models-webgpu.spec.ts: it needs the WebGPU project.)
 */
import { expect, test, type Page } from './test';
import { expectedReply } from '../test-support/make-tiny-model.mjs';
import { longDocument } from './fixtures/documents';
import { startStaticServer } from '../test-support/static-server.mjs';
import {
  addModelByUrl,
  addTinyModel,
  ask,
  composer,
  conversationItems,
  loadModel,
  LONG_MODEL_NAME,
  LONG_MODEL_URL,
  MODEL_HOST,
  replies,
  setMaxTokens,
  storageUsage,
  storedReplyChars,
  TINY_MODEL_NAME,
  userTexts,
  waitForServiceWorker,
} from './helpers';

/**
 * Fills what storage is left: blocks of random bytes (stored as they are, not compressed) into a
 * database of its own, each size until the browser refuses it, then smaller ones, down to a few
 * hundred bytes, so not even a small record fits any more.
 */
async function fillStorage(page: Page): Promise<void> {
  const filled = await page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open('test-filler');
      open.onupgradeneeded = () => open.result.createObjectStore('blocks');
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    const randomBytes = (size: number) => {
      const bytes = new Uint8Array(size);
      for (let at = 0; at < size; at += 65_536) crypto.getRandomValues(bytes.subarray(at, at + 65_536));
      return bytes;
    };
    let key = 0;
    let refusals = 0;
    // Down to a few bytes: a conversation's next save (two fresh random ids at least) cannot fit
    // in what is left, however well its text compresses.
    const sizes = [262_144, 65_536, 16_384, 4096, 1024, 256, 64, 16];
    for (const size of sizes) {
      for (let tries = 0; tries < 400; tries++) {
        const written = await new Promise<boolean>((resolve) => {
          const tx = db.transaction('blocks', 'readwrite');
          tx.objectStore('blocks').put(randomBytes(size), key++);
          tx.oncomplete = () => resolve(true);
          tx.onabort = () => resolve(false);
        });
        if (!written) {
          refusals++;
          break;
        }
      }
    }
    db.close();
    return refusals === sizes.length;
  });
  expect(filled).toBe(true);
}

async function startWithModel(page: Page, url?: string, name = TINY_MODEL_NAME): Promise<void> {
  await page.goto('/');
  await waitForServiceWorker(page);
  await addTinyModel(page, url, name);
  await page.goto('/#/chat');
  await loadModel(page, name);
}

/** Starts a long reply on the 4K model and waits until some of it has streamed in. */
async function startLongReply(page: Page, text: string): Promise<void> {
  await setMaxTokens(page, '4096');
  await composer(page).fill(text);
  await composer(page).press('Enter');
  await expect(replies(page).last().getByTestId('message-text')).toContainText('nothing you type leaves it. Nook runs');
}

/** The reply text, whitespace collapsed: a prefix of what the model writes. */
async function expectPrefixOfModelText(page: Page, index: number): Promise<string> {
  const text = ((await replies(page).nth(index).getByTestId('message-text').textContent()) ?? '')
    .replace(/\s+/g, ' ')
    .trim();
  expect(text.length).toBeGreaterThan(40);
  expect(expectedReply(4096).replace(/\s+/g, ' ')).toContain(text);
  return text;
}

test.describe('a tab closed or reloaded mid-way', () => {
  test('closing the tab mid-reply: a new tab finds the reply so far, marked, and the chat goes on', async ({
    page,
    context,
  }) => {
    await startWithModel(page, LONG_MODEL_URL, LONG_MODEL_NAME);
    await startLongReply(page, 'Tell me a very long story');
    // What a closing tab can rely on: a debounced save of the reply so far has landed.
    await expect.poll(() => storedReplyChars(page), { timeout: 60_000 }).toBeGreaterThan(40);
    await page.close();

    const next = await context.newPage();
    await next.goto('/#/chat');
    await expect(userTexts(next)).toHaveText('Tell me a very long story');
    await expectPrefixOfModelText(next, 0);
    await expect(replies(next).first().getByTestId('reply-interrupted')).toContainText('the page closed');
    await loadModel(next, LONG_MODEL_NAME);
    await setMaxTokens(next, '12');
    await ask(next, 'Shorter, please');
    await expect(next.getByRole('alert')).toHaveCount(0);
  });

  test('the tab dying mid-load, as a phone ends one that ran out of memory: the next start says so, once, and the model stays', async ({
    page,
    context,
  }) => {
    const wide = 'Nook Wide Test'; // 144 MB: its load runs for a while
    await page.goto('/#/models');
    await addTinyModel(page, `${MODEL_HOST}/models/wide.gguf`, wide);
    await page.getByRole('button', { name: `Load ${wide}` }).click();
    await expect(page.getByTestId('model-item').filter({ hasText: wide })).toContainText('Loading…');
    // The renderer dies as the system's low-memory killer ends it: no page event runs.
    const crashed = page.waitForEvent('crash');
    void (await context.newCDPSession(page)).send('Page.crash').catch(() => undefined);
    await crashed;

    const next = await context.newPage();
    await next.goto('/#/chat');
    const notice = next.getByTestId('interrupted-load');
    await expect(notice.locator('p')).toHaveText(
      `Nook closed while loading ${wide} (144 MB). That usually means the device ran out of memory for it. Before you load it again, close other tabs and apps, or choose a smaller model. It is still stored.`,
    );
    await notice.getByRole('link', { name: 'Choose a model' }).click();
    await expect(next).toHaveURL(/#\/models$/);
    await expect(notice).toHaveCount(0);
    await expect(next.getByTestId('model-item').filter({ hasText: wide })).toContainText('Available offline');
    await next.reload();
    await expect(next.getByTestId('model-item').filter({ hasText: wide })).toBeVisible();
    await expect(notice).toHaveCount(0); // told once

    // A tab the user closes mid-load is no tab that died: nothing is told.
    await next.getByRole('button', { name: `Load ${wide}` }).click();
    await expect(next.getByTestId('model-item').filter({ hasText: wide })).toContainText('Loading…');
    await next.close();
    const last = await context.newPage();
    // Read where the app keeps its mark of a load under way, from a page of the app's origin that
    // is not the app (which would take the mark at its start): the closing page removed it.
    await last.goto('/manifest.webmanifest');
    expect(await last.evaluate(() => localStorage.getItem('nook:loading'))).toBeNull();
    await last.goto('/#/models');
    await loadModel(last, wide);
  });

  test('closing the tab mid-download leaves it listed to resume, and Resume completes it', async ({
    page,
    context,
  }) => {
    await addModelByUrl(page, `${MODEL_HOST}/models/slow.gguf`);
    await expect(page.getByRole('progressbar', { name: 'Download progress' })).toBeVisible();
    // The tab closes once part of the file has arrived.
    await expect(page.getByTestId('download-text')).not.toContainText(/^\s*0 B/);
    await page.close();

    const next = await context.newPage();
    await next.goto('/#/models');
    const paused = next.getByTestId('unfinished-download');
    await expect(paused).toContainText(/slow — paused, .* stored/);
    await expect(next.getByTestId('model-item')).toHaveCount(0); // never listed half-written
    await next.getByRole('button', { name: /^Resume / }).click();
    await expect(next.getByTestId('model-item').filter({ hasText: TINY_MODEL_NAME })).toContainText(
      'Available offline',
      { timeout: 20_000 },
    );
    await expect(paused).toHaveCount(0);
    await next.goto('/#/chat');
    await loadModel(next);
    await ask(next, 'Does it run?');
  });

  test('a summary cut off by a reload is not kept as if finished, and summarizing again completes', async ({
    page,
  }) => {
    test.setTimeout(120_000);
    await page.goto('/');
    await addTinyModel(page);
    await page.goto('/#/summarize');
    await loadModel(page);
    await page.getByLabel('Text to summarize').fill(longDocument(20_000));
    await page.getByRole('button', { name: 'Summarize', exact: true }).click();
    await expect(page.getByTestId('summary-progress')).toHaveText(/Reading part [2-9] of \d+/, { timeout: 30_000 });
    await page.reload();

    await expect(page.getByRole('heading', { name: 'Summarize' }).first()).toBeVisible();
    await expect(page.getByTestId('summary-history-item')).toHaveCount(0);
    await expect(page.getByTestId('summary-text')).toHaveCount(0);
    await expect(page.getByTestId('summary-progress')).toHaveCount(0);

    await loadModel(page);
    await page.getByLabel('Text to summarize').fill('Nook keeps notes private.');
    await page.getByRole('button', { name: 'Summarize', exact: true }).click();
    await expect(page.getByTestId('summary-history-item')).toHaveCount(1, { timeout: 30_000 });
    await expect(page.getByTestId('summary-text')).toHaveText(expectedReply(64).trim());
  });
});

test('the engine worker dying mid-reply: the user is told, the reply so far is kept, the next message reloads the model', async ({
  page,
}) => {
  await startWithModel(page, LONG_MODEL_URL, LONG_MODEL_NAME);
  await startLongReply(page, 'Tell me a very long story');
  await page.evaluate(() =>
    (window as unknown as { nookTest: { killEngineWorkers(): void } }).nookTest.killEngineWorkers(),
  );

  const fault = page.getByTestId('engine-fault');
  await expect(fault).toContainText(`The engine stopped unexpectedly, and ${LONG_MODEL_NAME} was unloaded.`);
  await expect(fault).toContainText('your next message loads the model again');
  await expect(page.getByTestId('engine-status')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Stop' })).toHaveCount(0);
  const reply = replies(page).first();
  await expect(reply.getByTestId('reply-interrupted')).toHaveText(
    'Cut off: the engine stopped before this reply finished.',
  );
  // The stream really ended with the worker: the same text is still there after the next reply and a reload.
  const kept = await expectPrefixOfModelText(page, 0);

  // The next message starts a fresh worker, loads the model again and gets a whole reply.
  await setMaxTokens(page, '12');
  await ask(page, 'Are you back?');
  await expect(page.getByTestId('engine-status')).toContainText(LONG_MODEL_NAME);
  await expect(fault).toHaveCount(0);

  // All of it was saved.
  await page.reload();
  await expect(userTexts(page)).toHaveText(['Tell me a very long story', 'Are you back?']);
  expect(await expectPrefixOfModelText(page, 0)).toBe(kept);
  await expect(replies(page).first().getByTestId('reply-interrupted')).toContainText('the engine stopped');
  await expect(replies(page).nth(1).getByTestId('message-text')).toHaveText(expectedReply(12));
});

test('two tabs: one runs the model, the other says so and can take over; both write the same conversation and nothing is lost', async ({
  page: first,
  context,
}) => {
  test.setTimeout(120_000);
  await startWithModel(first);
  await setMaxTokens(first, '16');
  await ask(first, 'Hello from the first tab');
  await expect(first.getByTestId('tab-notice')).toHaveCount(0);

  const second = await context.newPage();
  await second.goto('/#/chat');
  await expect(second.getByTestId('tab-notice')).toContainText('Nook is open in another tab, which runs the model.');
  await expect(second.getByTestId('engine-status')).toHaveCount(0);
  // The same conversation, read from storage.
  await expect(userTexts(second)).toHaveText('Hello from the first tab');

  // Use here: the second tab takes the engine and the same model; the first lets go and says so.
  await second.getByRole('button', { name: 'Use here' }).click();
  await expect(second.getByTestId('engine-status')).toContainText(TINY_MODEL_NAME, { timeout: 30_000 });
  await expect(second.getByTestId('tab-notice')).toHaveCount(0);
  await expect(first.getByTestId('tab-notice')).toContainText('Nook now runs the model in another tab');
  await expect(first.getByTestId('engine-status')).toHaveCount(0);

  // Both tabs change the one conversation at the same time: a reply streams in the second while
  // the first renames it and changes its system prompt.
  await setMaxTokens(second, '200');
  await composer(second).fill('Hello from the second tab');
  await composer(second).press('Enter');
  await expect(replies(second).nth(1).getByTestId('message-text')).toContainText('Nook');
  await first.getByRole('button', { name: 'Rename “Hello from the first tab”' }).click();
  await first.getByLabel('New title').fill('Shared by two tabs');
  await first.getByLabel('New title').press('Enter');
  await expect(replies(second).nth(1).getByTestId('reply-stats')).toBeVisible({ timeout: 30_000 });
  const tokens = Number(
    /(\d+) tokens/.exec((await replies(second).nth(1).getByTestId('reply-stats').textContent())!)![1],
  );
  await expect(replies(second).nth(1).getByTestId('message-text')).toHaveText(expectedReply(tokens));

  // Each tab shows the other's change without a reload…
  await expect(second.getByTestId('conversation-title')).toHaveText('Shared by two tabs');
  await expect(userTexts(first)).toHaveText(['Hello from the first tab', 'Hello from the second tab']);
  await expect(replies(first).nth(1).getByTestId('message-text')).toHaveText(expectedReply(tokens));
  // …and storage holds both. (A reloading tab lets go of the engine: the tab waiting gets it.)
  for (const tab of [second, first]) {
    await tab.reload();
    await expect(tab.getByTestId('conversation-title')).toHaveText('Shared by two tabs');
    await expect(userTexts(tab)).toHaveText(['Hello from the first tab', 'Hello from the second tab']);
    await expect(replies(tab).nth(1).getByTestId('message-text')).toHaveText(expectedReply(tokens));
    await expect(conversationItems(tab)).toHaveCount(1);
  }

  // Closing the tab that runs the model hands it to the one left.
  await expect(first.getByTestId('tab-notice')).toBeVisible();
  await second.close();
  await expect(first.getByTestId('tab-notice')).toHaveCount(0);
  await loadModel(first);
  await setMaxTokens(first, '8');
  await ask(first, 'Still here?');
});

test('a new version deployed while typing: Reload switches to it and the draft is still there', async ({
  browser,
  privacy,
}) => {
  let version = 1;
  const server = await startStaticServer({
    root: 'dist',
    transform: (path, body) =>
      path === '/sw.js' ? Buffer.concat([body, Buffer.from(`\n// deployment ${version}\n`)]) : body,
  });
  privacy.allow(server.url);
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    await page.goto(server.url);
    await waitForServiceWorker(page);
    version = 2;
    // Typed, and at once the update is accepted: no time for a debounced save.
    await page.getByLabel('Message').fill('a draft I am writing\nover two lines');
    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.update());
    await expect(page.getByText('Update available')).toBeVisible();
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Reload' }).click()]);
    expect(await page.evaluate(async () => (await fetch('/sw.js')).text())).toContain('deployment 2');
    await expect(page.getByText('Update available')).toHaveCount(0);
    await expect(page.getByLabel('Message')).toHaveValue('a draft I am writing\nover two lines');

    // A closed tab keeps it too.
    await page.close();
    const next = await context.newPage();
    await next.goto(server.url);
    await expect(next.getByLabel('Message')).toHaveValue('a draft I am writing\nover two lines');
  } finally {
    await context.close();
    await server.close();
  }
});

test.describe('storage', () => {
  test('running out of storage while chatting: a clear message, the chat stays on screen, and it is saved once there is room', async ({
    page,
    context,
  }) => {
    await page.goto('/');
    await waitForServiceWorker(page);
    // Room for the model and a few conversations. (Set before the first write: Chromium's
    // IndexedDB keeps its own view of the space left for 30 s after each quota check.)
    const cdp = await context.newCDPSession(page);
    const origin = new URL(page.url()).origin;
    await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: (await storageUsage(page)) + 4_000_000 });
    await addTinyModel(page);
    await page.goto('/#/chat');
    await loadModel(page);
    await setMaxTokens(page, '16');
    await ask(page, 'Saved before the disk filled up');
    // Then something else takes the rest (another download, another app's data).
    await fillStorage(page);
    // The browser may count the filler's last writes late, which leaves a save room it does not
    // have; a quota below what is in use leaves none.
    await cdp.send('Storage.overrideQuotaForOrigin', {
      origin,
      quotaSize: Math.max(0, (await storageUsage(page)) - 1_000_000),
    });

    await ask(page, 'Written while the disk is full');
    const alert = page.getByRole('alert').filter({ hasText: 'Storage is full' });
    await expect(alert).toContainText('this conversation could not be saved. It stays on screen');
    await expect(userTexts(page)).toHaveText(['Saved before the disk filled up', 'Written while the disk is full']);

    // Room again: the next message saves everything.
    await page.evaluate(() => indexedDB.deleteDatabase('test-filler'));
    await cdp.send('Storage.overrideQuotaForOrigin', { origin });
    await ask(page, 'And now there is room');
    await expect(alert).toHaveCount(0);
    await page.reload();
    await expect(userTexts(page)).toHaveText([
      'Saved before the disk filled up',
      'Written while the disk is full',
      'And now there is room',
    ]);
    await expect(replies(page)).toHaveCount(3);
    await expect(replies(page).getByTestId('reply-stats')).toHaveCount(3);
  });

  test('storage cleared by the browser while the app runs: a clear message, the screen shows what is left, and the user goes on', async ({
    page,
    context,
  }) => {
    await startWithModel(page);
    await setMaxTokens(page, '12');
    await ask(page, 'An older conversation');
    await page.getByRole('button', { name: 'New conversation' }).click();
    await setMaxTokens(page, '12');
    await ask(page, 'The one on screen');
    await expect(conversationItems(page)).toHaveCount(2);

    const cdp = await context.newCDPSession(page);
    await cdp.send('Storage.clearDataForOrigin', { origin: new URL(page.url()).origin, storageTypes: 'indexeddb' });

    const notice = page.getByTestId('storage-notice');
    await expect(notice).toContainText('The browser deleted Nook’s saved data while it was open');
    await expect(notice).toContainText('The conversation on screen was kept and saved again');
    await expect(conversationItems(page)).toHaveCount(1);
    await expect(conversationItems(page)).toContainText('The one on screen');
    // The model is still in memory: the chat goes on.
    await ask(page, 'Still answering?');
    await page.goto('/#/models');
    await expect(page.getByTestId('model-item')).toHaveCount(0);
    await expect(notice).toHaveCount(1);

    // After a reload: what was on screen, no crash loop, and the model can be added again.
    await page.reload();
    await expect(page.getByTestId('storage-notice')).toHaveCount(0);
    await page.goto('/#/chat');
    await expect(conversationItems(page)).toHaveCount(1);
    await expect(userTexts(page)).toHaveText(['The one on screen', 'Still answering?']);
    await addTinyModel(page);
    await page.goto('/#/chat');
    await loadModel(page);
    await ask(page, 'Back to normal');
    await expect(page.getByRole('alert')).toHaveCount(0);
  });
});
