// Driving the built app the way a user does (Models view, Load, New conversation, Settings,
// composer), with in-page probes for what the figures need: when the reply's text changes on
// screen, main-thread long tasks, and the markdown renderer's User Timing measures.

/** The renderer's User Timing name (src/lib/markdown/render.ts, RENDER_MEASURE). */
export const RENDER_MEASURE = 'nook:markdown-render';

/** `navigator.storage.estimate()`, with Chromium's per-kind breakdown. */
export function storageEstimate(page) {
  return page.evaluate(async () => {
    const estimate = /** @type {StorageEstimate & { usageDetails?: Record<string, number> }} */ (
      await navigator.storage.estimate()
    );
    return { usage: estimate.usage ?? 0, details: estimate.usageDetails ?? {} };
  });
}

/**
 * Adds a model through the Models view and returns the storage it cost: estimate() after minus
 * before, in total and per kind (indexedDB, caches, serviceWorkerRegistrations).
 */
export async function addModel(page, appUrl, modelUrl, name) {
  await page.goto(`${appUrl}/#/models`);
  await waitForServiceWorker(page); // its precache must not land inside the measurement
  const before = await storageEstimate(page);
  await page.getByLabel('Model URL').fill(modelUrl);
  await page.getByRole('button', { name: 'Add model' }).click();
  await page.getByTestId('model-item').filter({ hasText: name }).waitFor({ timeout: 300_000 });
  const after = await storageEstimate(page);
  const details = {};
  for (const key of new Set([...Object.keys(before.details), ...Object.keys(after.details)])) {
    details[key] = (after.details[key] ?? 0) - (before.details[key] ?? 0);
  }
  return { bytes: after.usage - before.usage, details };
}

export async function waitForServiceWorker(page) {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise((r) => navigator.serviceWorker.addEventListener('controllerchange', r, { once: true }));
    }
  });
}

/** Clicks Load and times it in the page, up to the engine status showing the model. */
export async function loadInApp(page, name) {
  await page.evaluate(() => {
    const w = /** @type {any} */ (window);
    w.benchLoadStart = performance.now();
    new MutationObserver((_, observer) => {
      if (document.querySelector('[data-testid="engine-status"]')) {
        w.benchLoadEnd = performance.now();
        observer.disconnect();
      }
    }).observe(document.body, { subtree: true, childList: true });
  });
  await page.getByRole('button', { name: `Load ${name}` }).click();
  await page.getByTestId('engine-status').waitFor({ timeout: 300_000 });
  return page.evaluate(() => {
    const w = /** @type {any} */ (window);
    return w.benchLoadEnd - w.benchLoadStart;
  });
}

/**
 * Starts a new conversation (so every reply has the same prompt) and sets its generation
 * settings through the Settings panel, e.g. `{ 'Max tokens': 2000 }`.
 * @param {import('@playwright/test').Page} page
 * @param {Record<string, number>} [settings]
 */
export async function newConversation(page, settings = {}) {
  await page.getByRole('button', { name: 'New conversation' }).click();
  await page.getByTestId('message-user').first().waitFor({ state: 'detached' });
  const entries = Object.entries(settings);
  if (entries.length === 0) return;
  await page.getByRole('button', { name: 'Settings' }).click();
  for (const [label, value] of entries) {
    const field = page.getByLabel(label, { exact: true });
    await field.fill(String(value));
    await field.press('Tab');
  }
  await page.getByRole('button', { name: 'Settings' }).click();
}

/**
 * Types `prompt` into the composer, sends it with Enter and waits, in the page, for the promise
 * the caller's probe left in `window.bench.done`. `window.bench.sentAt` gets the moment the Enter
 * key's event reached the page (its timeStamp, on the clock of performance.now()), as the raw
 * engine's time starts at its call: Playwright's round trips to press the key are not the app's.
 * @param {import('@playwright/test').Page} page
 * @param {string} prompt
 */
export async function sendAndAwait(page, prompt, timeoutMs = 600_000) {
  const composer = page.getByRole('textbox', { name: 'Message', exact: true });
  await composer.fill(prompt);
  await page.evaluate(() => {
    /** @param {KeyboardEvent} event */
    const onKey = (event) => {
      if (event.key !== 'Enter') return;
      /** @type {any} */ (window).bench.sentAt = event.timeStamp;
      document.removeEventListener('keydown', onKey, true);
    };
    document.addEventListener('keydown', onKey, true);
  });
  await composer.press('Enter');
  await page.evaluate(
    (ms) =>
      Promise.race([
        /** @type {any} */ (window).bench.done,
        new Promise((_, reject) => setTimeout(() => reject(new Error(`no reply stats after ${ms} ms`)), ms)),
      ]),
    timeoutMs,
  );
}

/** The counts a reply's stats line shows, and its title's prompt size. */
export async function replyStats(page) {
  const stats = page.getByTestId('message-assistant').last().getByTestId('reply-stats');
  const text = (await stats.textContent()) ?? '';
  const title = (await stats.getAttribute('title')) ?? '';
  return {
    text,
    tokens: Number(/(\d+) tokens/.exec(text)?.[1]),
    /** Of them, thinking ("412 tokens (403 thinking, 9 answer)"); 0 for a reply without. */
    thinkingTokens: Number(/\((\d+) thinking/.exec(text)?.[1] ?? 0),
    // llama.cpp's own decode rate, as the reply's stats line shows it.
    engineTokensPerSecond: Number(/([\d.]+) tok\/s/.exec(text)?.[1]),
    /** The last request's prompt, cached part included ("Prompt: 3104 tokens, …"). */
    promptTokens: Number(/Prompt: (\d+) tokens/.exec(title)?.[1]),
  };
}

/**
 * Sends `prompt` and waits for the reply's stats. Records, in the page: every change of the
 * reply's text on screen (time and length), `longtask` entries, and the markdown renderer's
 * measures. Tokens/s is counted like the raw engine's: (tokens − 1) ÷ (last change − first).
 * `thinking`: a reasoning model's reply, whose thought (its folded Thinking block) counts as text
 * on screen too.
 * @param {import('@playwright/test').Page} page
 * @param {string} prompt
 * @param {{ thinking?: boolean }} [options]
 */
export async function streamInApp(page, prompt, { thinking = false } = {}) {
  await page.evaluate((withThought) => {
    const w = /** @type {any} */ (window);
    w.bench?.observers.forEach((observer) => observer.disconnect());
    const bench = { stamps: [], longTasks: [], observers: [], sentAt: 0, done: undefined, thoughtShown: false };
    w.bench = bench;
    // The reply's end (its stats line) is awaited in the page, by the same observer that stamps
    // the text: a Playwright locator wait would poll the page over the protocol (querying the
    // DOM and forcing style and layout for its visibility check) every 500 ms while the engine
    // runs, work the raw engine's page, awaited with one evaluate, never pays for.
    const before = document.querySelectorAll('[data-testid="message-assistant"]').length;
    let ended = () => {};
    bench.done = new Promise((resolve) => (ended = resolve));
    const longTasks = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) bench.longTasks.push({ start: entry.startTime, duration: entry.duration });
    });
    longTasks.observe({ type: 'longtask' });
    const list = document.querySelector('ol.messages') ?? document.body;
    let last = 0;
    const mutations = new MutationObserver(() => {
      const replies = list.querySelectorAll('[data-testid="message-assistant"]');
      const reply = replies.length > before ? replies[replies.length - 1] : undefined;
      if (!reply) return;
      let length = reply.querySelector('[data-testid="message-text"]')?.textContent?.length ?? 0;
      if (withThought) {
        const thought = reply.querySelector('[data-testid="thinking-text"]');
        if (thought) bench.thoughtShown = true;
        // Without its trailing newline, which the page trims off when the reply ends: that
        // change is no token.
        length += thought?.textContent?.trimEnd().length ?? 0;
      }
      if (length > 0 && length !== last) {
        last = length;
        bench.stamps.push({ t: performance.now(), length });
      }
      if (reply.querySelector('[data-testid="reply-stats"]')) ended();
    });
    mutations.observe(list, { subtree: true, childList: true, characterData: true });
    bench.observers = [longTasks, mutations];
  }, thinking);
  await sendAndAwait(page, prompt);
  const stats = await replyStats(page);
  const probe = await page.evaluate((measureName) => {
    const w = /** @type {any} */ (window);
    const [longTasks] = w.bench.observers;
    // Entries queued but not yet delivered to the observer.
    for (const entry of longTasks.takeRecords())
      w.bench.longTasks.push({ start: entry.startTime, duration: entry.duration });
    const { stamps, sentAt, thoughtShown } = w.bench;
    const renders = performance
      .getEntriesByName(measureName, 'measure')
      .filter((entry) => entry.startTime >= sentAt)
      .map((entry) => ({ start: entry.startTime, duration: entry.duration, .../** @type {any} */ (entry).detail }));
    return { stamps, longTasks: w.bench.longTasks, renders, sentAt, thoughtShown };
  }, RENDER_MEASURE);
  const first = probe.stamps[0];
  const last = probe.stamps.at(-1);
  const seconds = (last.t - first.t) / 1000;
  return {
    tokens: stats.tokens,
    chars: last.length,
    tokensPerSecond: (stats.tokens - 1) / seconds,
    totalMs: last.t - probe.sentAt,
    firstTokenMs: first.t - probe.sentAt,
    engineTokensPerSecond: stats.engineTokensPerSecond,
    thinkingTokens: stats.thinkingTokens,
    thoughtShown: probe.thoughtShown,
    promptTokens: stats.promptTokens,
    domUpdates: probe.stamps.length,
    longTasks: probe.longTasks,
    renders: probe.renders,
  };
}
