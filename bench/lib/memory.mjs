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

/**
 * Where the browser's memory is, by holder: each process's PSS by its type (browser, gpu,
 * renderer, utility: network, storage…), and in every renderer its mappings by kind
 * (`/proc/<pid>/smaps`): the largest anonymous one — a wasm heap, whose PSS is the heap's pages
 * touched so far, whatever its size —, executable anonymous ones (compiled JS and wasm code), the
 * other anonymous ones (V8's JS heaps, thread stacks, the page's own), and files. Undefined
 * without /proc.
 * @returns {Promise<{ pid: number, type: string, pss: number, kinds?: Record<'largest' | 'code' | 'anonymous' | 'files', number>, largestSize?: number }[] | undefined>}
 */
export async function memoryHolders() {
  const pids = await descendants();
  if (!pids) return undefined;
  const holders = await Promise.all(
    pids.map(async (pid) => {
      try {
        const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8');
        const type = /--type=([\w-]+)/.exec(cmdline)?.[1] ?? 'browser';
        const utility = /--utility-sub-type=([\w.]+)/.exec(cmdline)?.[1];
        const rollup = await readFile(`/proc/${pid}/smaps_rollup`, 'utf8');
        const pss = Number(/^Pss:\s+(\d+) kB/m.exec(rollup)?.[1] ?? 0) * 1024;
        const holder = { pid, type: utility ? utility.replace(/\.mojom\.\w+$/, '') : type, pss };
        if (type !== 'renderer') return holder;
        return { ...holder, ...mappingKinds(await readFile(`/proc/${pid}/smaps`, 'utf8')) };
      } catch {
        return undefined; // ended meanwhile
      }
    }),
  );
  return holders.filter((holder) => holder !== undefined);
}

/** An smaps text's PSS by kind of mapping (see memoryHolders), in bytes. */
function mappingKinds(smaps) {
  /** @type {{ anonymous: boolean, code: boolean, size: number, pss: number }[]} */
  const mappings = [];
  let current;
  for (const line of smaps.split('\n')) {
    const head = /^[0-9a-f]+-[0-9a-f]+ (\S+) \S+ \S+ (\d+)\s*(.*)$/.exec(line);
    if (head) {
      const anonymous = head[2] === '0' && (head[3] === '' || head[3].startsWith('[anon'));
      current = { anonymous, code: head[1].includes('x'), size: 0, pss: 0 };
      mappings.push(current);
      continue;
    }
    const field = current && /^(Size|Pss):\s+(\d+) kB/.exec(line);
    if (field) current[field[1] === 'Size' ? 'size' : 'pss'] = Number(field[2]) * 1024;
  }
  const anonymous = mappings.filter((mapping) => mapping.anonymous);
  const largest = anonymous.reduce((a, b) => (b.pss > a.pss ? b : a), { pss: 0, size: 0 });
  const sum = (list) => list.reduce((total, mapping) => total + mapping.pss, 0);
  const code = anonymous.filter((mapping) => mapping.code && mapping !== largest);
  return {
    largestSize: largest.size,
    kinds: {
      largest: largest.pss,
      code: sum(code),
      anonymous: sum(anonymous) - largest.pss - sum(code),
      files: sum(mappings.filter((mapping) => !mapping.anonymous)),
    },
  };
}
