// Translation scaling: the app's Translate view (the ordered pieces of
// src/lib/translate/translate.ts, the real engine in its worker) on texts of 1×, 10× and 50× the
// model's context window, with the tiny 256-token model. A translation that scales linearly
// spends the same time per input character whatever the length: each piece costs the same, and
// cutting or checking the document must not grow faster than it.
import { addModel, loadInApp } from './app.mjs';
import { median } from './stats.mjs';
import { charsPerTokenOf, prose } from './summarize.mjs';

/**
 * Translates `text` in the open Translate view and times it in the page, from the click to the
 * progress panel going away; counts the parts and the second tries.
 */
async function translateOnce(page, text) {
  await page.getByLabel('Text to translate').fill(text);
  await page.getByRole('button', { name: 'Translate', exact: true }).waitFor();
  return page.evaluate(
    () =>
      new Promise((resolve) => {
        const run = { startedAt: 0, parts: 0, secondTries: 0, seen: false, lastLabel: '' };
        const observer = new MutationObserver(() => {
          const progress = document.querySelector('[data-testid="translate-progress"]');
          if (progress) {
            run.seen = true;
            const label = progress.textContent ?? '';
            const part = /Part (\d+) of (\d+)/.exec(label);
            if (part) run.parts = Math.max(run.parts, Number(part[2]));
            if (/second try/.test(label) && label !== run.lastLabel) run.secondTries++;
            run.lastLabel = label;
            return;
          }
          if (!run.seen) return;
          observer.disconnect();
          const error = document.querySelector('[data-testid="translate-error"]')?.textContent ?? '';
          resolve({ ...run, ms: performance.now() - run.startedAt, error });
        });
        observer.observe(document.body, { subtree: true, childList: true, characterData: true });
        const button = [...document.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Translate');
        run.startedAt = performance.now();
        button?.click();
      }),
  );
}

/**
 * @param {import('@playwright/test').Browser} browser
 * @param {{ appUrl: string, rawUrl: string, modelUrl: string, name: string, contextLength: number, multiples: number[] }} options
 */
export async function measureTranslate(browser, options) {
  const { appUrl, rawUrl, modelUrl, name, contextLength, multiples } = options;
  const charsPerToken = await charsPerTokenOf(browser, { rawUrl, modelUrl, contextLength });
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await addModel(page, appUrl, modelUrl, name);
    await page.goto(`${appUrl}/#/translate`);
    await loadInApp(page, name);
    await page.getByLabel('Translate to').fill('French');
    // Warm-up, discarded: the token estimate calibrates on the first document.
    await translateOnce(page, prose(Math.round(2 * contextLength * charsPerToken)));
    // The 1× baseline runs before, between and after the long ones; its median is the baseline.
    const order = [];
    for (const multiple of multiples.filter((m) => m !== 1)) order.push(1, multiple);
    order.push(1);
    const samples = [];
    for (const multiple of order) {
      const chars = Math.round(multiple * contextLength * charsPerToken);
      const run = await translateOnce(page, prose(chars));
      if (run.error) throw new Error(`Translating ${multiple}× the window failed: ${run.error}`);
      samples.push({ multiple, chars, ms: run.ms, parts: run.parts, secondTries: run.secondTries });
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
