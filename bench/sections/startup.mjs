// Start-up: the first paint's script bytes, and the app's cold and warm-offline start against a
// blank page in the same browser (bench/lib/startup.mjs).
import { firstPaintScriptBytes, measureStartup } from '../lib/startup.mjs';
import { row } from '../lib/rows.mjs';
import { round } from '../lib/stats.mjs';

export const name = 'startup';
export const needs = ['app', 'baseline', 'browser'];

export async function run({ quick, log, browser, app, baseline }) {
  log('start-up');
  const bundle = await firstPaintScriptBytes('dist');
  const startup = await measureStartup(browser, {
    appUrl: `${app.url}/`,
    blankUrl: `${baseline.url}/blank.html`,
    runs: quick ? 1 : 5,
  });
  return {
    results: { firstPaint: bundle, startup },
    rows: [
      row(
        'First-paint JS (gzip)',
        `${round(bundle.bytes / 1024, 1)} KB`,
        '≤ 60 KB',
        bundle.bytes <= 60 * 1024,
        `${bundle.files.length} files`,
      ),
      row(
        'Cold start, app ÷ blank page',
        `${round(startup.appCold / startup.blankCold)} (${round(startup.appCold, 0)} / ${round(startup.blankCold, 0)} ms)`,
        'report',
        null,
        'to the app:interactive mark',
      ),
      row(
        'Warm start offline, app ÷ blank page (warm)',
        `${round(startup.appWarmOffline / startup.blankWarm)} (${round(startup.appWarmOffline, 0)} / ${round(startup.blankWarm, 0)} ms)`,
        'report',
        null,
        'app from its service worker',
      ),
    ],
  };
}
