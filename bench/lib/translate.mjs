// Translation scaling: the app's Translate view (the ordered pieces of
// src/lib/translate/translate.ts, the real engine in its worker) on texts of 1×, 10× and 50× the
// model's context window, with the tiny 256-token model. A translation that scales linearly
// spends the same time per input character whatever the length: each piece costs the same, and
// cutting or checking the document must not grow faster than it.
import { measureScaling } from './scaling.mjs';

/**
 * Translates `text` in the open Translate view and times it in the page, from the click to the
 * progress panel going away; counts the parts and the second tries, and compares the time of
 * the last fifth of the parts with the first fifth's (work that grows with what is already on
 * the page makes later parts slower).
 */
async function translateOnce(page, text) {
  await page.getByLabel('Text to translate').fill(text);
  await page.getByRole('button', { name: 'Translate', exact: true }).waitFor();
  return page.evaluate(
    () =>
      new Promise((resolve) => {
        const run = { startedAt: 0, parts: 0, secondTries: 0, seen: false, lastLabel: '', lastPart: 0 };
        const partStarts = [];
        const observer = new MutationObserver(() => {
          const progress = document.querySelector('[data-testid="translate-progress"]');
          if (progress) {
            run.seen = true;
            const label = progress.textContent ?? '';
            const part = /Part (\d+) of (\d+)/.exec(label);
            if (part) run.parts = Math.max(run.parts, Number(part[2]));
            if (part && Number(part[1]) !== run.lastPart) {
              run.lastPart = Number(part[1]);
              partStarts.push(performance.now());
            }
            if (/second try/.test(label) && label !== run.lastLabel) run.secondTries++;
            run.lastLabel = label;
            return;
          }
          if (!run.seen) return;
          observer.disconnect();
          const error = document.querySelector('[data-testid="translate-error"]')?.textContent ?? '';
          const endedAt = performance.now();
          const partMs = partStarts.map((start, i) => (partStarts[i + 1] ?? endedAt) - start);
          const fifth = Math.max(1, Math.floor(partMs.length / 5));
          const mean = (values) => values.reduce((a, b) => a + b, 0) / values.length;
          const lateParts = mean(partMs.slice(-fifth)) / mean(partMs.slice(0, fifth));
          resolve({ ...run, ms: endedAt - run.startedAt, lateParts, error });
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
export function measureTranslate(browser, options) {
  return measureScaling(browser, options, {
    view: 'translate',
    what: 'Translating',
    prepare: (page) => page.getByLabel('Translate to').fill('French'),
    runOnce: translateOnce,
  });
}
