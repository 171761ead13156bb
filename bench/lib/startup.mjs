// Start-up: the JavaScript needed for first paint, and time to interactive of the app against a
// blank Vite page, cold (empty cache) and warm (second visit; the app offline from its service
// worker, the blank page from the HTTP cache, since it has no service worker).
import { readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { median } from './stats.mjs';

/** Gzip bytes of the scripts index.html loads before first paint (entry + modulepreloads). */
export async function firstPaintScriptBytes(distDir) {
  const html = await readFile(join(distDir, 'index.html'), 'utf8');
  const sources = [...html.matchAll(/<(?:script[^>]*src|link[^>]*rel="modulepreload"[^>]*href)="([^"]+)"/g)].map(
    (match) => match[1],
  );
  let total = 0;
  for (const source of sources) total += gzipSync(await readFile(join(distDir, source.replace(/^\//, '')))).length;
  return { bytes: total, files: sources };
}

async function interactiveAt(page) {
  await page.waitForFunction(() => performance.getEntriesByName('app:interactive').length > 0);
  return page.evaluate(() => performance.getEntriesByName('app:interactive')[0].startTime);
}

/**
 * @param {import('@playwright/test').Browser} browser
 * @param {{ appUrl: string, blankUrl: string, runs: number }} options
 */
export async function measureStartup(browser, { appUrl, blankUrl, runs }) {
  const samples = { appCold: [], blankCold: [], appWarmOffline: [], blankWarm: [] };
  for (let i = 0; i < runs; i++) {
    for (const [url, cold, warm, offline] of [
      [appUrl, 'appCold', 'appWarmOffline', true],
      [blankUrl, 'blankCold', 'blankWarm', false],
    ]) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(url);
      samples[cold].push(await interactiveAt(page));
      if (offline) {
        await page.evaluate(async () => {
          await navigator.serviceWorker.ready;
          if (!navigator.serviceWorker.controller) {
            await new Promise((r) => navigator.serviceWorker.addEventListener('controllerchange', r, { once: true }));
          }
        });
        await context.setOffline(true);
      }
      await page.reload();
      samples[warm].push(await interactiveAt(page));
      await context.close();
    }
  }
  return Object.fromEntries(Object.entries(samples).map(([key, values]) => [key, median(values)]));
}
