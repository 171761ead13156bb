// Start-up as the user sees it: from navigation to the first view usable — the chat's message box
// on screen and accepting input — for the app and for a blank Vite page that renders the same
// box, in the same browser. Cold (empty cache) and warm (second visit; the app offline from its
// service worker, the blank page from the HTTP cache, since it has no service worker). Each load
// also counts the JavaScript fetched before ready (resource timing; gzip bytes of the same files
// in the build, since the bench's static server does not compress) and the long tasks before it.
import { readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { median } from './stats.mjs';

/**
 * Runs in every page before its own scripts: watches for the message box becoming usable and
 * records when (in the frame it is painted in), with the long tasks and the scripts fetched by then.
 * The same probe for app and baseline: neither page's own marks decide when it is ready.
 */
function readyProbe() {
  const seen = { readyAt: undefined, longTasks: [], scripts: [] };
  Object.defineProperty(window, '__nookStartup', { value: seen });
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) seen.longTasks.push({ start: entry.startTime, duration: entry.duration });
  }).observe({ type: 'longtask', buffered: true });
  const usable = () => {
    const box = document.querySelector('textarea[aria-label="Message"]');
    if (!(box instanceof HTMLTextAreaElement) || box.disabled || box.readOnly || box.closest('[inert]')) return false;
    const rect = box.getBoundingClientRect();
    return rect.width > 0 && rect.height > 0 && rect.top < innerHeight && getComputedStyle(box).visibility !== 'hidden';
  };
  const check = () => {
    if (!usable()) return requestAnimationFrame(check);
    const now = performance.now();
    seen.readyAt = now;
    seen.scripts = performance
      .getEntriesByType('resource')
      .filter((entry) => entry.startTime <= now && /\.m?js(\?|$)/.test(new URL(entry.name).pathname))
      .map((entry) => new URL(entry.name).pathname);
  };
  requestAnimationFrame(check);
}

/** Reads a load's figures once the probe has seen the box usable. */
async function readyOf(page) {
  await page.waitForFunction(() => window.__nookStartup?.readyAt !== undefined, null, { polling: 50 });
  return page.evaluate(() => {
    const { readyAt, longTasks, scripts } = window.__nookStartup;
    return {
      readyAt,
      scripts,
      longTasks: longTasks.filter((task) => task.start < readyAt).map((task) => task.duration),
    };
  });
}

/** Gzip bytes of the files at these paths of a build folder (each counted once). */
async function gzipBytes(root, paths) {
  let total = 0;
  for (const path of new Set(paths)) total += gzipSync(await readFile(join(root, path.replace(/^\//, '')))).length;
  return total;
}

/** Gzip bytes of the scripts index.html loads before first paint (entry + modulepreloads). */
export async function firstPaintScriptBytes(distDir) {
  const html = await readFile(join(distDir, 'index.html'), 'utf8');
  const sources = [...html.matchAll(/<(?:script[^>]*src|link[^>]*rel="modulepreload"[^>]*href)="([^"]+)"/g)].map(
    (match) => match[1],
  );
  return { bytes: await gzipBytes(distDir, sources), files: sources };
}

/**
 * @param {import('@playwright/test').Browser} browser
 * @param {{ appUrl: string, appDir: string, blankUrl: string, blankDir: string, runs: number }} options
 */
export async function measureStartup(browser, { appUrl, appDir, blankUrl, blankDir, runs }) {
  const samples = { appCold: [], blankCold: [], appWarmOffline: [], blankWarm: [] };
  for (let i = 0; i < runs; i++) {
    for (const [url, dir, cold, warm, offline] of [
      [appUrl, appDir, 'appCold', 'appWarmOffline', true],
      [blankUrl, blankDir, 'blankCold', 'blankWarm', false],
    ]) {
      const context = await browser.newContext();
      await context.addInitScript(readyProbe);
      const page = await context.newPage();
      const warnings = [];
      page.on('console', (message) => {
        if (message.type() === 'warning' && /adapter/i.test(message.text())) warnings.push(message.text());
      });
      await page.goto(url);
      const first = await readyOf(page);
      samples[cold].push({ ...first, bytes: await gzipBytes(dir, first.scripts) });
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
      const second = await readyOf(page);
      samples[warm].push({ ...second, bytes: await gzipBytes(dir, second.scripts), adapterWarnings: warnings.length });
      await context.close();
    }
  }
  const summary = (list) => ({
    ms: median(list.map((sample) => sample.readyAt)),
    bytes: median(list.map((sample) => sample.bytes)),
    files: median(list.map((sample) => new Set(sample.scripts).size)),
    longTasks: Math.max(...list.map((sample) => sample.longTasks.length)),
    longestTask: Math.max(0, ...list.flatMap((sample) => sample.longTasks)),
    adapterWarnings: list.reduce((sum, sample) => sum + (sample.adapterWarnings ?? 0), 0),
    samples: list,
  });
  return Object.fromEntries(Object.entries(samples).map(([key, list]) => [key, summary(list)]));
}

/** The views the header links to, and the heading that says each is there. */
export const VIEWS = [
  { link: 'Models', heading: 'Models' },
  { link: 'Summarize', heading: 'Summarize' },
  { link: 'Documents', heading: 'Documents' },
  { link: 'Translate', heading: 'Translate' },
];

/**
 * The first switch to each view after a cold start: click on its header link to its heading on
 * screen, in a fresh context each. `settled: false` clicks right when the chat is ready (nothing
 * deferred has had time to load: the worst case), `true` once start-up has settled (`app:settled`:
 * the stores created and the views prefetched, as for a user who reads or types first).
 * @param {import('@playwright/test').Browser} browser
 * @param {{ appUrl: string, runs: number, settled: boolean }} options
 */
export async function measureFirstSwitch(browser, { appUrl, runs, settled }) {
  const results = {};
  for (const view of VIEWS) {
    const times = [];
    for (let i = 0; i < runs; i++) {
      const context = await browser.newContext();
      await context.addInitScript(readyProbe);
      const page = await context.newPage();
      await page.goto(appUrl);
      await readyOf(page);
      if (settled) await page.waitForFunction(() => performance.getEntriesByName('app:settled').length > 0);
      times.push(
        await page.evaluate(
          ({ link, heading }) =>
            new Promise((resolve) => {
              const anchor = [...document.querySelectorAll('nav a')].find((a) => a.textContent?.trim() === link);
              const start = performance.now();
              anchor.click();
              const check = () => {
                const title = [...document.querySelectorAll('h1')].find((h) => h.textContent?.trim() === heading);
                if (title && title.getBoundingClientRect().height > 0) resolve(performance.now() - start);
                else requestAnimationFrame(check);
              };
              requestAnimationFrame(check);
            }),
          view,
        ),
      );
      await context.close();
    }
    results[view.link] = { ms: median(times), samples: times };
  }
  return results;
}
