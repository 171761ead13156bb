// What the scaling benches (Summarize, Translate) share: deterministic prose, the model's
// characters per token, and the run itself — one view, one model, texts of 1×, 10× and 50× the
// window, the 1× baseline before, between and after the long ones (its median is the baseline,
// so a change in the machine's load hits both sides). Each run also reports the page's
// main-thread work (Chrome's own task time), so work that grows with the document shows even
// where the engine's time hides it.
import { addModel, loadInApp } from './app.mjs';
import { median } from './stats.mjs';

const TOPICS = ['the ferry', 'the orchard', 'the railway', 'the museum', 'the clinic', 'the reservoir', 'the park'];

/** Deterministic prose of exactly `chars` characters, in paragraphs. */
export function prose(chars) {
  let text = '';
  for (let i = 0; text.length < chars; i++) {
    const topic = TOPICS[i % TOPICS.length];
    text +=
      `Report ${i + 1}. The committee reviewed ${topic} and found ${2 + (i % 7)} open questions. ` +
      `Costs rose by ${5 + (i % 13)} percent since spring, and the contractor asked for more time. ` +
      `A decision is expected at the next session.\n\n`;
  }
  return text.slice(0, chars);
}

/**
 * How many characters of {@link prose} make one token: the model's own tokenizer, in the raw
 * engine page, on a sample that fits the 256-token window with the chat template.
 * @param {import('@playwright/test').Browser} browser
 * @param {{ rawUrl: string, modelUrl: string, contextLength: number }} options
 */
export async function charsPerTokenOf(browser, { rawUrl, modelUrl, contextLength }) {
  const rawContext = await browser.newContext();
  try {
    const rawPage = await rawContext.newPage();
    await rawPage.goto(rawUrl);
    await rawPage.waitForFunction(() => 'rawEngine' in window);
    const sample = prose(200);
    const tokens = await rawPage.evaluate(async ([url, ctx, text]) => {
      const engine = /** @type {any} */ (window).rawEngine;
      await engine.load(url, ctx);
      const count = await engine.countTokens(text);
      await engine.unload();
      return count;
    }, /** @type {const} */ ([modelUrl, contextLength, sample]));
    return sample.length / tokens;
  } finally {
    await rawContext.close();
  }
}

/**
 * Runs one view on prose of each multiple of the window. `prepare(page)` readies the view once
 * the model is loaded; `runOnce(page, text)` runs it and resolves `{ ms, error, ...counts }`.
 * @param {import('@playwright/test').Browser} browser
 * @param {{ appUrl: string, rawUrl: string, modelUrl: string, name: string, contextLength: number, multiples: number[] }} options
 * @param {{ view: string, what: string, prepare?: (page: import('@playwright/test').Page) => Promise<void>, runOnce: (page: import('@playwright/test').Page, text: string) => Promise<{ ms: number, error: string } & Record<string, number | string>> }} job
 */
export async function measureScaling(browser, options, job) {
  const { appUrl, rawUrl, modelUrl, name, contextLength, multiples } = options;
  const charsPerToken = await charsPerTokenOf(browser, { rawUrl, modelUrl, contextLength });
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await addModel(page, appUrl, modelUrl, name);
    await page.goto(`${appUrl}/#/${job.view}`);
    await loadInApp(page, name);
    await job.prepare?.(page);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    const taskSeconds = async () =>
      (await cdp.send('Performance.getMetrics')).metrics.find((metric) => metric.name === 'TaskDuration')?.value ?? 0;
    // Warm-up, discarded: the token estimate calibrates on the first document.
    await job.runOnce(page, prose(Math.round(2 * contextLength * charsPerToken)));
    const order = [];
    for (const multiple of multiples.filter((m) => m !== 1)) order.push(1, multiple);
    order.push(1);
    const samples = [];
    for (const multiple of order) {
      const chars = Math.round(multiple * contextLength * charsPerToken);
      const before = await taskSeconds();
      const { error, ...run } = await job.runOnce(page, prose(chars));
      if (error) throw new Error(`${job.what} ${multiple}× the window failed: ${error}`);
      const mainThreadMs = ((await taskSeconds()) - before) * 1000;
      samples.push({ multiple, chars, ...run, mainThreadMs, msPerKChar: (run.ms / chars) * 1000 });
    }
    const runs = multiples.map((multiple) => {
      const of = samples.filter((sample) => sample.multiple === multiple);
      const ms = median(of.map((sample) => sample.ms));
      const mainThreadMs = median(of.map((sample) => sample.mainThreadMs));
      return {
        ...of[0],
        ms,
        msPerKChar: (ms / of[0].chars) * 1000,
        mainThreadMs,
        mainThreadMsPerKChar: (mainThreadMs / of[0].chars) * 1000,
        samples: of.map((sample) => sample.ms),
      };
    });
    return { charsPerToken, contextLength, runs };
  } finally {
    await context.close();
  }
}
