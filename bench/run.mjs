// `npm run bench`: the app measured against the raw engine and a blank page in the same browser
// run. Prints a table (figure, value, target, holds) and writes JSON under bench/results/.
// Figures are ratios measured side by side, because the machines are shared and noisy.
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { chromiumArgs, chromiumExecutable } from '../e2e/chromium.mjs';
import { makeTinyModel } from '../e2e/fixtures/make-tiny-model.mjs';
import { startStaticServer } from '../e2e/fixtures/static-server.mjs';
import { firstPaintScriptBytes, measureStartup } from './lib/startup.mjs';
import { measureModel } from './lib/engine.mjs';
import { median, round } from './lib/stats.mjs';
import { printTable } from './lib/report.mjs';

const quick = process.argv.includes('--quick');
const MAX_TOKENS = 512; // the app's default reply limit

const modelDir = await mkdtemp(join(tmpdir(), 'nook-bench-'));
const models = [
  { file: 'tiny.gguf', name: 'Bench Tiny', options: { contextLength: 4096, name: 'Bench Tiny' } },
  {
    file: 'large.gguf',
    name: 'Bench Large',
    options: { contextLength: 4096, embd: 512, layers: 8, ff: 1408, name: 'Bench Large' },
  },
];
await mkdir(join(modelDir, 'models'));
for (const model of models) {
  const bytes = makeTinyModel(model.options);
  model.sizeBytes = bytes.length;
  await writeFile(join(modelDir, 'models', model.file), bytes);
}

const app = await startStaticServer({ root: 'dist' });
const baseline = await startStaticServer({ root: 'bench/dist' });
const host = await startStaticServer({ root: modelDir });
const browser = await chromium.launch({ executablePath: chromiumExecutable(), args: chromiumArgs });

const rows = [];
const results = { date: new Date().toISOString(), quick, figures: {} };
const record = (figure, value, target, holds, note = '') => {
  rows.push({ figure, value, target, holds, note });
  results.figures[figure] = { value, target, holds, note };
};

try {
  const bundle = await firstPaintScriptBytes('dist');
  record('First-paint JS (gzip)', `${round(bundle.bytes / 1024, 1)} KB`, '≤ 60 KB', bundle.bytes <= 60 * 1024);

  const startup = await measureStartup(browser, {
    appUrl: `${app.url}/`,
    blankUrl: `${baseline.url}/blank.html`,
    runs: quick ? 1 : 3,
  });
  results.startup = startup;
  record(
    'Cold start, app ÷ blank page',
    `${round(startup.appCold / startup.blankCold)} (${round(startup.appCold, 0)} / ${round(startup.blankCold, 0)} ms)`,
    'report',
    null,
  );
  record(
    'Warm start offline, app ÷ blank page (warm)',
    `${round(startup.appWarmOffline / startup.blankWarm)} (${round(startup.appWarmOffline, 0)} / ${round(startup.blankWarm, 0)} ms)`,
    'report',
    null,
  );

  for (const model of quick ? models.slice(0, 1) : models) {
    const figures = await measureModel(browser, {
      appUrl: app.url,
      rawUrl: `${baseline.url}/raw-engine.html`,
      modelUrl: `${host.url}/models/${model.file}`,
      name: model.name,
      sizeBytes: model.sizeBytes,
      maxTokens: MAX_TOKENS,
      contextLength: 4096,
    });
    results[model.file] = figures;
    const appRate = median(figures.app.map((run) => run.tokensPerSecond));
    const rawRate = median(figures.raw.map((run) => run.tokensPerSecond));
    const label = `${model.name} (${round(model.sizeBytes / 1e6, 1)} MB)`;
    record(
      `Streaming, app ÷ raw engine tok/s — ${label}`,
      `${round(appRate / rawRate)} (${round(appRate, 0)} / ${round(rawRate, 0)} tok/s)`,
      '≥ 0.97',
      appRate / rawRate >= 0.97,
    );
    const longTasks = figures.app.flatMap((run) => run.longTasks);
    record(
      `Main-thread long tasks while streaming — ${label}`,
      `${longTasks.length} (max ${round(Math.max(0, ...longTasks), 0)} ms)`,
      'none > 50 ms',
      longTasks.length === 0,
      `${figures.app[0].tokens} tokens, ${figures.app[0].domUpdates} DOM updates`,
    );
    const rawLoad = median(figures.raw.map((run) => run.loadMs));
    record(
      `Load, in-memory Blob ÷ IndexedDB (app) speed — ${label}`,
      `${round(rawLoad / figures.appLoadMs)} (${round(rawLoad, 0)} / ${round(figures.appLoadMs, 0)} ms)`,
      '≥ 0.8',
      rawLoad / figures.appLoadMs >= 0.8,
      'app time includes starting its worker and reading IndexedDB',
    );
    record(
      `Storage used ÷ model size — ${label}`,
      `${round(figures.storedBytes / model.sizeBytes, 3)}`,
      '≤ 1.02',
      figures.storedBytes / model.sizeBytes <= 1.02,
    );
  }
} finally {
  await browser.close();
  await Promise.all([app.close(), baseline.close(), host.close()]);
}

printTable(rows);
await mkdir('bench/results', { recursive: true });
const file = `bench/results/bench-${results.date.replace(/[:.]/g, '-')}.json`;
await writeFile(file, JSON.stringify(results, null, 2));
console.log(`\nWrote ${file}`);
