// CPU time used by the browser this bench launched (every process descended from this Node
// process: browser, renderers with their workers, GPU/raster), from /proc on Linux. Unlike wall
// time it hardly moves when other work shares the machine, so "CPU per token" compares the app
// with the raw engine even on a busy box. Split by thread, so a difference can be placed: the
// renderers' main threads (the page's JS, style, layout), their compositors, their workers
// (our engine worker and llama.cpp's threads), the GPU process, the browser process. Returns
// undefined where /proc is missing.
import { readdir, readFile } from 'node:fs/promises';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** @typedef {'main' | 'compositor' | 'workers' | 'rendererOther' | 'gpu' | 'browser' | 'other'} CpuPart */
export const CPU_PARTS = /** @type {const} */ ([
  'main',
  'compositor',
  'workers',
  'rendererOther',
  'gpu',
  'browser',
  'other',
]);

/** utime + stime from a /proc stat line, and the name in parentheses. */
function parseStat(text) {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  const fields = text.slice(close + 2).split(' ');
  return {
    name: text.slice(open + 1, close),
    parent: Number(fields[1]),
    ticks: Number(fields[11]) + Number(fields[12]),
  };
}

async function processes() {
  let names;
  try {
    names = await readdir('/proc');
  } catch {
    return undefined;
  }
  const found = new Map();
  await Promise.all(
    names
      .filter((name) => /^\d+$/.test(name))
      .map(async (name) => {
        try {
          found.set(Number(name), parseStat(await readFile(`/proc/${name}/stat`, 'utf8')));
        } catch {
          // the process ended meanwhile
        }
      }),
  );
  return found;
}

/** The kind of each thread of a renderer, by the name Chromium gives it. */
function rendererPart(tid, pid, name) {
  if (tid === pid) return 'main';
  if (name.startsWith('Compositor')) return 'compositor';
  if (name.startsWith('DedicatedWorker') || name.startsWith('WebWorker')) return 'workers';
  return 'rendererOther';
}

const noParts = () => /** @type {Record<CpuPart, number>} */ (Object.fromEntries(CPU_PARTS.map((part) => [part, 0])));

/**
 * Milliseconds of CPU used so far by this process's descendants (not by Node itself), in total
 * and per part, and per process (`byPid`, for differences over processes that came or went).
 * @returns {Promise<{ total: number, parts: Record<CpuPart, number>, byPid: Map<number, Record<CpuPart, number>> } | undefined>}
 */
export async function browserCpu() {
  const all = await processes();
  if (!all) return undefined;
  const isDescendant = (pid) => {
    for (let p = all.get(pid)?.parent, depth = 0; p && depth < 32; p = all.get(p)?.parent, depth++) {
      if (p === process.pid) return true;
    }
    return false;
  };
  const parts = noParts();
  /** @type {Map<number, Record<CpuPart, number>>} */
  const byPid = new Map();
  let total = 0;
  await Promise.all(
    [...all.keys()].filter(isDescendant).map(async (pid) => {
      const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => undefined);
      if (cmdline === undefined) return; // the process ended meanwhile
      const type = /--type=([\w-]+)/.exec(cmdline)?.[1];
      const ticksOf = async () => {
        if (type !== 'renderer')
          return [[type === 'gpu-process' ? 'gpu' : type ? 'other' : 'browser', all.get(pid).ticks]];
        const tids = await readdir(`/proc/${pid}/task`).catch(() => []);
        /** @type {[CpuPart, number][]} */
        const threads = await Promise.all(
          tids.map(async (tid) => {
            try {
              const stat = parseStat(await readFile(`/proc/${pid}/task/${tid}/stat`, 'utf8'));
              return [rendererPart(Number(tid), pid, stat.name), stat.ticks];
            } catch {
              return ['rendererOther', 0];
            }
          }),
        );
        // Threads that ended are counted in the process's own total only.
        const live = threads.reduce((sum, [, ticks]) => sum + ticks, 0);
        return [...threads, ['rendererOther', Math.max(0, all.get(pid).ticks - live)]];
      };
      const own = noParts();
      for (const [part, ticks] of await ticksOf()) {
        const ms = (ticks / TICKS_PER_SECOND) * 1000;
        own[part] += ms;
        parts[part] += ms;
        total += ms;
      }
      byPid.set(pid, own);
    }),
  );
  return { total, parts, byPid };
}

/**
 * A reader of CPU used since it was made, per part: call it once to start, then `await
 * stop()` for the difference. Summed per process over those alive at the end (a process started
 * meanwhile counts whole): a process that ended meanwhile (a page closed just before) is left
 * out, where subtracting its whole life from the end's total made a download's CPU negative.
 */
export async function cpuSince() {
  const start = await browserCpu();
  return async () => {
    const end = await browserCpu();
    if (!start || !end) return undefined;
    const parts = noParts();
    for (const [pid, own] of end.byPid) {
      const before = start.byPid.get(pid);
      // Unclamped: a thread that ended moves its time from its part to rendererOther (its
      // process's remainder), and the process's own total, their sum, only grows.
      for (const part of CPU_PARTS) parts[part] += own[part] - (before?.[part] ?? 0);
    }
    return { total: CPU_PARTS.reduce((sum, part) => sum + parts[part], 0), parts };
  };
}

/**
 * Resolves once the browser used less than `maxShare` of one core over `windowMs`, or after
 * `timeoutMs`: whatever it still ran in the background (the app reads the open conversation ahead
 * after a model loads, for one) is over before the next timed step starts. At once without /proc.
 */
export async function quietBrowser({ windowMs = 500, maxShare = 0.1, timeoutMs = 60_000 } = {}) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const since = await cpuSince();
    await new Promise((resolve) => setTimeout(resolve, windowMs));
    const used = await since();
    if (!used || used.total < windowMs * maxShare) return;
  }
}
