// Storage efficiency: what storing a model costs the device, by navigator.storage.estimate(),
// against the model's size. The generated models are almost all zeros, which Chromium's
// IndexedDB stores compressed (a 37 MB one costs ~25 MB), so this figure uses copies whose weights
// are noise: same header, same size, incompressible. They are stored, never run.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addModel, storageEstimate, waitForServiceWorker } from './app.mjs';

/** A copy of a GGUF file with everything after `keep` bytes (the header) replaced by noise. */
export function incompressible(bytes, keep = 64 * 1024) {
  const copy = new Uint8Array(bytes);
  let x = 0x9e3779b9;
  for (let i = keep; i < copy.length; i++) {
    // xorshift32: cheap, deterministic, and nothing a compressor can use
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    copy[i] = x & 0xff;
  }
  return copy;
}

/**
 * Adds a model in a browser profile and returns what it cost. The "after" reading is taken from a
 * new page once the adding page is closed, so that every write has landed.
 */
async function storeAndMeasure(context, appUrl, model) {
  const page = await context.newPage();
  await page.goto(`${appUrl}/#/models`);
  await waitForServiceWorker(page); // its precache must not land inside the measurement
  await page.reload(); // nor what it caches at the first controlled visit
  await page.getByLabel('Model URL').waitFor();
  const before = await storageEstimate(page);
  await addModel(page, appUrl, model.url, model.name);
  await page.close();
  const later = await context.newPage();
  await later.goto(`${appUrl}/#/models`);
  await later.getByTestId('model-item').filter({ hasText: model.name }).waitFor();
  const after = await storageEstimate(later);
  await later.close();
  return {
    bytes: after.usage - before.usage,
    indexedDB: (after.details.indexedDB ?? 0) - (before.details.indexedDB ?? 0),
    caches: (after.details.caches ?? 0) - (before.details.caches ?? 0),
  };
}

/**
 * Stores each model as the first one of a fresh on-disk profile (so the cost includes creating
 * the app's model databases), and after the first of them a second model next to it (the cost
 * of one more model). On-disk, because Playwright's ordinary contexts are off-the-record
 * profiles whose IndexedDB lives in memory and is counted differently (a 37 MB model read as
 * 25 MB there).
 * @param {{ appUrl: string, launch: (userDataDir: string) => Promise<import('@playwright/test').BrowserContext>, first: { url: string, name: string }[], then: { url: string, name: string } }} options
 */
export async function measureStorage({ appUrl, launch, first, then }) {
  const results = [];
  for (const [index, model] of first.entries()) {
    const profile = await mkdtemp(join(tmpdir(), 'nook-bench-profile-'));
    const context = await launch(profile);
    try {
      results.push({ ...model, order: 'first', ...(await storeAndMeasure(context, appUrl, model)) });
      if (index === 0) results.push({ ...then, order: 'further', ...(await storeAndMeasure(context, appUrl, then)) });
    } finally {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    }
  }
  return results;
}
