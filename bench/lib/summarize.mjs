// Summarization scaling: the app's Summarize view (the map-reduce pipeline of
// src/lib/summarize/pipeline.ts, the real engine in its worker) on documents of 1×, 10× and 50×
// the model's context window, with the tiny 256-token model. A pipeline that scales linearly
// spends the same time per input character (and per map call) whatever the length.
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
 * engine page, on a sample that fits the 256-token window with the chat template. Also used by
 * the translation bench (bench/lib/translate.mjs).
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
 * Summarizes `text` in the open Summarize view and times it in the page, from the click to the
 * progress panel going away; counts the map calls (parts read) and the reduce calls.
 */
async function summarizeOnce(page, text) {
  await page.getByLabel('Text to summarize').fill(text);
  await page.getByRole('button', { name: 'Summarize', exact: true }).waitFor();
  return page.evaluate(
    () =>
      new Promise((resolve) => {
        const run = { startedAt: 0, writingAt: 0, mapCalls: 0, reduceCalls: 0, seen: false };
        const reduceTotals = new Map();
        const observer = new MutationObserver(() => {
          const progress = document.querySelector('[data-testid="summary-progress"]');
          if (progress) {
            run.seen = true;
            const label = progress.textContent ?? '';
            const reading = /Reading part \d+ of (\d+)/.exec(label);
            const combining = /round (\d+): part \d+ of (\d+)/.exec(label);
            if (reading) run.mapCalls = Math.max(run.mapCalls, Number(reading[1]));
            if (combining)
              reduceTotals.set(combining[1], Math.max(reduceTotals.get(combining[1]) ?? 0, Number(combining[2])));
            if (/Writing/.test(label) && !run.writingAt) run.writingAt = performance.now();
            return;
          }
          if (!run.seen) return;
          observer.disconnect();
          const finishedAt = performance.now();
          run.reduceCalls = [...reduceTotals.values()].reduce((a, b) => a + b, 0);
          const error = document.querySelector('[data-testid="summary-error"]')?.textContent ?? '';
          resolve({ ...run, ms: finishedAt - run.startedAt, error });
        });
        observer.observe(document.body, { subtree: true, childList: true, characterData: true });
        const button = [...document.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Summarize');
        run.startedAt = performance.now();
        button?.click();
      }),
  );
}

/**
 * @param {import('@playwright/test').Browser} browser
 * @param {{ appUrl: string, rawUrl: string, modelUrl: string, name: string, contextLength: number, multiples: number[] }} options
 */
export async function measureSummarize(browser, options) {
  const { appUrl, rawUrl, modelUrl, name, contextLength, multiples } = options;
  const charsPerToken = await charsPerTokenOf(browser, { rawUrl, modelUrl, contextLength });
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await addModel(page, appUrl, modelUrl, name);
    await page.goto(`${appUrl}/#/summarize`);
    await loadInApp(page, name);
    // Warm-up, discarded: the pipeline calibrates its token estimate on the first document.
    await summarizeOnce(page, prose(Math.round(2 * contextLength * charsPerToken)));
    // The 1× baseline is short: it is run before, between and after the long ones, and its
    // median is the baseline, so that a change in the machine's load hits both sides.
    const order = [];
    for (const multiple of multiples.filter((m) => m !== 1)) order.push(1, multiple);
    order.push(1);
    const samples = [];
    for (const multiple of order) {
      const chars = Math.round(multiple * contextLength * charsPerToken);
      const run = await summarizeOnce(page, prose(chars));
      if (run.error) throw new Error(`Summarizing ${multiple}× the window failed: ${run.error}`);
      samples.push({
        multiple,
        chars,
        ms: run.ms,
        mapCalls: run.mapCalls,
        reduceCalls: run.reduceCalls,
        // The map-reduce part alone, without the final streamed pass.
        mapReduceMs: run.writingAt ? run.writingAt - run.startedAt : run.ms,
        msPerKChar: (run.ms / chars) * 1000,
      });
    }
    const runs = multiples.map((multiple) => {
      const of = samples.filter((sample) => sample.multiple === multiple);
      const ms = median(of.map((sample) => sample.ms));
      return { ...of[0], ms, msPerKChar: (ms / of[0].chars) * 1000, samples: of.map((sample) => sample.ms) };
    });
    return { charsPerToken, contextLength, runs };
  } finally {
    await context.close();
  }
}
