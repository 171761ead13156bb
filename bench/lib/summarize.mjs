// Summarization scaling: the app's Summarize view (the map-reduce pipeline of
// src/lib/summarize/pipeline.ts, the real engine in its worker) on documents of 1×, 10× and 50×
// the model's context window, with the tiny 256-token model. A pipeline that scales linearly
// spends the same time per input character (and per map call) whatever the length.
import { measureScaling } from './scaling.mjs';

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
  const result = await measureScaling(browser, options, {
    view: 'summarize',
    what: 'Summarizing',
    runOnce: summarizeOnce,
  });
  // The map-reduce part alone, without the final streamed pass.
  for (const run of result.runs) run.mapReduceMs = run.writingAt ? run.writingAt - run.startedAt : run.ms;
  return result;
}
