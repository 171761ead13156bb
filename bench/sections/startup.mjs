// Start-up: the app's cold and warm-offline start to its first usable view against a blank page
// in the same browser, the JavaScript and long tasks before ready, the first-paint bundle, and
// the first switch to each other view (bench/lib/startup.mjs).
import { firstPaintScriptBytes, measureFirstSwitch, measureStartup } from '../lib/startup.mjs';
import { row } from '../lib/rows.mjs';
import { FIRST_VIEW_JS_BYTES } from '../../test-support/budgets.mjs';
import { round } from '../lib/stats.mjs';

export const name = 'startup';
export const needs = ['app', 'baseline', 'browser'];

const kb = (bytes) => `${round(bytes / 1024, 1)} KB`;
const switchText = (switches) =>
  Object.entries(switches)
    .map(([view, { ms }]) => `${view} ${round(ms, 0)} ms`)
    .join(', ');

export async function run({ quick, log, browser, app, appDir, baseline }) {
  log('start-up');
  const runs = quick ? 1 : 5;
  const bundle = await firstPaintScriptBytes(appDir);
  const startup = await measureStartup(browser, {
    appUrl: `${app.url}/`,
    appDir,
    blankUrl: `${baseline.url}/blank.html`,
    blankDir: 'bench/dist',
    runs,
  });
  log('first switch to each view');
  const switchRuns = quick ? 1 : 3;
  const switches = await measureFirstSwitch(browser, { appUrl: `${app.url}/`, runs: switchRuns, settled: false });
  const settledSwitches = await measureFirstSwitch(browser, { appUrl: `${app.url}/`, runs: switchRuns, settled: true });
  const { appCold, blankCold, appWarmOffline, blankWarm } = startup;
  const start = (figure, app, blank, note) =>
    row(
      figure,
      `${round(app.ms / blank.ms)} (${round(app.ms, 0)} / ${round(blank.ms, 0)} ms)`,
      '≤ 1.5',
      app.ms / blank.ms <= 1.5,
      note,
    );
  const longTasks = (sample) =>
    `${sample.longTasks}${sample.longTasks > 0 ? ` (longest ${round(sample.longestTask, 0)} ms)` : ''}`;
  return {
    results: { firstPaint: bundle, startup, firstSwitch: { atReady: switches, settled: settledSwitches } },
    rows: [
      start('Cold start to ready, app ÷ blank page', appCold, blankCold, 'message box on screen, accepting input'),
      start(
        'Warm start offline to ready, app ÷ blank page',
        appWarmOffline,
        blankWarm,
        'app from its service worker, blank page from the HTTP cache',
      ),
      row(
        'JS fetched before ready (gzip)',
        `${kb(appCold.bytes)} cold, ${kb(appWarmOffline.bytes)} warm`,
        `≤ ${kb(FIRST_VIEW_JS_BYTES)}`,
        Math.max(appCold.bytes, appWarmOffline.bytes) <= FIRST_VIEW_JS_BYTES,
        `${appCold.files} files (resource timing); blank page ${kb(blankCold.bytes)}`,
      ),
      row(
        'Long tasks before ready',
        `${longTasks(appCold)} cold, ${longTasks(appWarmOffline)} warm`,
        '0',
        appCold.longTasks + appWarmOffline.longTasks === 0,
        `most in one of ${runs} loads; WebGPU adapter warnings over ${runs * 2} loads: ${appWarmOffline.adapterWarnings}`,
      ),
      row(
        'First-paint JS (gzip)',
        kb(bundle.bytes),
        `≤ ${kb(FIRST_VIEW_JS_BYTES)}`,
        bundle.bytes <= FIRST_VIEW_JS_BYTES,
        `${bundle.files.length} files in index.html`,
      ),
      row(
        'First switch to each view, at ready',
        switchText(switches),
        'report',
        null,
        'click the moment a cold start is ready, to the view’s heading on screen',
      ),
      row(
        'First switch to each view, settled',
        switchText(settledSwitches),
        'report',
        null,
        'the same once start-up has settled (views prefetched)',
      ),
    ],
  };
}
