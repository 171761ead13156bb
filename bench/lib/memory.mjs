// Memory of the browser this bench launched, from /proc on Linux: the proportional set size (PSS)
// of every process descended from this Node process, so pages shared between Chromium's processes
// are counted once in total rather than once per process. A sampler reads it every `intervalMs`
// while a step runs and keeps the peak: the figure is that peak minus the reading just before the
// step, against the model's size. Returns undefined where /proc is missing.
import { readdir, readFile } from 'node:fs/promises';

async function descendants() {
  let names;
  try {
    names = await readdir('/proc');
  } catch {
    return undefined;
  }
  const parents = new Map();
  await Promise.all(
    names
      .filter((name) => /^\d+$/.test(name))
      .map(async (name) => {
        try {
          const text = await readFile(`/proc/${name}/stat`, 'utf8');
          parents.set(Number(name), Number(text.slice(text.lastIndexOf(')') + 2).split(' ')[1]));
        } catch {
          // the process ended meanwhile
        }
      }),
  );
  const mine = [];
  for (const pid of parents.keys()) {
    for (let p = parents.get(pid), depth = 0; p && depth < 32; p = parents.get(p), depth++) {
      if (p === process.pid) {
        mine.push(pid);
        break;
      }
    }
  }
  return mine;
}

/** Bytes of PSS of the browser's processes now. */
export async function browserPssBytes() {
  const pids = await descendants();
  if (!pids) return undefined;
  let kB = 0;
  await Promise.all(
    pids.map(async (pid) => {
      try {
        const rollup = await readFile(`/proc/${pid}/smaps_rollup`, 'utf8');
        kB += Number(/^Pss:\s+(\d+) kB/m.exec(rollup)?.[1] ?? 0);
      } catch {
        // ended meanwhile, or not ours to read
      }
    }),
  );
  return kB * 1024;
}

/**
 * Runs `step` while sampling; returns its result with the baseline (just before), the peak during
 * it, and the peak's rise over the baseline, all in bytes.
 * @template T
 * @param {() => Promise<T>} step
 */
export async function withPeakMemory(step, intervalMs = 150) {
  const baseline = (await browserPssBytes()) ?? 0;
  let peak = baseline;
  let running = true;
  const sampler = (async () => {
    while (running) {
      peak = Math.max(peak, (await browserPssBytes()) ?? 0);
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  })();
  try {
    const result = await step();
    return { result, baseline, peak, rise: peak - baseline };
  } finally {
    running = false;
    await sampler;
  }
}

/**
 * Waits until the browser's PSS is back to at most `belowBytes` (a closed page's or worker's
 * memory given back, which can start a while after the close), so the next step's baseline is
 * not inflated by memory about to go: readings every `intervalMs`, at most `timeoutMs`.
 */
export async function settledPss({ belowBytes = Infinity, intervalMs = 300, timeoutMs = 20_000 } = {}) {
  const until = Date.now() + timeoutMs;
  let now = (await browserPssBytes()) ?? 0;
  while (now > belowBytes && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
    now = (await browserPssBytes()) ?? 0;
  }
  return now;
}
