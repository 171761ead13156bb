// Storage used for a stored model against the model's size, on on-disk profiles, with
// incompressible copies of the generated models (bench/lib/storage.mjs says why).
import { measureStorage } from '../lib/storage.mjs';
import { row } from '../lib/rows.mjs';
import { round } from '../lib/stats.mjs';

export const name = 'storage';
export const needs = ['app', 'chromium', 'models'];

export async function run({ log, app, launchPersistent, fixtures, modelUrl }) {
  const { noisy } = fixtures;
  log('storage');
  const stored = await measureStorage({
    appUrl: app.url,
    launch: launchPersistent,
    first: [noisy.large, noisy.tiny].map((model) => ({ url: modelUrl(model), name: model.name })),
    then: { url: modelUrl(noisy.tinyToo), name: noisy.tinyToo.name },
  });
  const rows = [
    [noisy.large, 'first'],
    [noisy.tiny, 'first'],
    [noisy.tinyToo, 'further'],
  ].map(([model, order]) => {
    const run = stored.find((entry) => entry.name === model.name && entry.order === order);
    const ratio = run.bytes / model.sizeBytes;
    const overhead = run.bytes - model.sizeBytes;
    return row(
      `Storage used ÷ model size — ${round(model.sizeBytes / 1e6, 1)} MB, ${order === 'first' ? 'first model stored' : 'one more model'}`,
      `${round(ratio, 3)}`,
      '≤ 1.02',
      ratio <= 1.02,
      `${overhead >= 0 ? '+' : ''}${round(overhead / 1024, 0)} KB (indexedDB ${round(run.indexedDB / 1e6, 2)} MB, Cache API ${run.caches} B)`,
    );
  });
  return { rows, results: { storage: stored } };
}
