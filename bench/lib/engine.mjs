// Engine figures for one model, side by side in one browser: tokens/s through the whole app
// (worker → page → DOM) against wllama called directly, main-thread long tasks during the app's
// stream, model load from IndexedDB (app) against load from an in-memory Blob (raw), and the
// storage the stored model costs.

const PROMPT = 'Tell me about yourself.';

/** Adds a model through the UI and returns storage.estimate() usage before and after. */
async function addModel(page, appUrl, modelUrl, name) {
  await page.goto(`${appUrl}/#/models`);
  const before = await page.evaluate(async () => (await navigator.storage.estimate()).usage ?? 0);
  await page.getByLabel('Model URL').fill(modelUrl);
  await page.getByRole('button', { name: 'Add model' }).click();
  await page.getByTestId('model-item').filter({ hasText: name }).waitFor({ timeout: 120_000 });
  const after = await page.evaluate(async () => (await navigator.storage.estimate()).usage ?? 0);
  return after - before;
}

/** Clicks Load and times it in the page, up to the engine status showing the model. */
async function loadInApp(page, name) {
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
  await page.getByTestId('engine-status').waitFor({ timeout: 120_000 });
  return page.evaluate(() => {
    const w = /** @type {any} */ (window);
    return w.benchLoadEnd - w.benchLoadStart;
  });
}

/** Sends the prompt and records every change of the reply's text, and long tasks meanwhile. */
async function streamInApp(page) {
  await page.evaluate(() => {
    const w = /** @type {any} */ (window);
    w.benchStamps = [];
    w.benchLongTasks = [];
    w.benchObservers?.forEach((observer) => observer.disconnect());
    const longTasks = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) w.benchLongTasks.push(entry.duration);
    });
    longTasks.observe({ type: 'longtask' });
    const mutations = new MutationObserver(() => {
      const bubbles = document.querySelectorAll('[data-testid="message-assistant"] [data-testid="message-text"]');
      const length = bubbles[bubbles.length - 1]?.textContent?.length ?? 0;
      const last = w.benchStamps.at(-1);
      if (length > 0 && (!last || last.length !== length)) w.benchStamps.push({ t: performance.now(), length });
    });
    mutations.observe(document.body, { subtree: true, childList: true, characterData: true });
    w.benchObservers = [longTasks, mutations];
  });
  const composer = page.getByLabel('Message');
  await composer.fill(PROMPT);
  await composer.press('Enter');
  const stats = page.getByTestId('message-assistant').last().getByTestId('reply-stats');
  await stats.waitFor({ timeout: 300_000 });
  const tokens = Number(/(\d+) tokens/.exec((await stats.textContent()) ?? '')?.[1]);
  const { stamps, longTasks } = await page.evaluate(() => {
    const w = /** @type {any} */ (window);
    return { stamps: w.benchStamps, longTasks: w.benchLongTasks };
  });
  const seconds = (stamps.at(-1).t - stamps[0].t) / 1000;
  return { tokens, tokensPerSecond: (tokens - 1) / seconds, longTasks, domUpdates: stamps.length };
}

/**
 * @param {import('@playwright/test').Browser} browser
 * @param {{ appUrl: string, rawUrl: string, modelUrl: string, name: string, sizeBytes: number, maxTokens: number, contextLength: number }} options
 */
export async function measureModel(browser, options) {
  const { appUrl, rawUrl, modelUrl, name, sizeBytes, maxTokens, contextLength } = options;
  const context = await browser.newContext();
  const page = await context.newPage();
  const storedBytes = await addModel(page, appUrl, modelUrl, name);
  await page.goto(`${appUrl}/#/chat`);
  const appLoadMs = await loadInApp(page, name);

  const rawContext = await browser.newContext();
  const rawPage = await rawContext.newPage();
  await rawPage.goto(rawUrl);
  await rawPage.waitForFunction(() => 'rawEngine' in window);

  // Alternate app and raw runs so that drift in the machine's speed hits both alike.
  const app = [];
  const raw = [];
  for (let i = 0; i < 2; i++) {
    raw.push(
      await rawPage.evaluate(
        ([url, prompt, max, ctx]) => /** @type {any} */ (window).rawEngine.run(url, prompt, max, ctx),
        [modelUrl, PROMPT, maxTokens, contextLength],
      ),
    );
    app.push(await streamInApp(page));
  }
  await rawContext.close();
  await context.close();
  return { storedBytes, sizeBytes, appLoadMs, raw, app };
}
