// CPU time used by the browser this bench launched (every process descended from this Node
// process: browser, renderers with their workers, GPU/raster), from /proc on Linux. Unlike wall
// time it hardly moves when other work shares the machine, so "CPU per token" compares the app
// with the raw engine even on a busy box. Returns undefined where /proc is missing.
import { readdir, readFile } from 'node:fs/promises';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

async function stats() {
  let names;
  try {
    names = await readdir('/proc');
  } catch {
    return undefined;
  }
  const processes = new Map();
  await Promise.all(
    names
      .filter((name) => /^\d+$/.test(name))
      .map(async (name) => {
        try {
          const text = await readFile(`/proc/${name}/stat`, 'utf8');
          // Fields after the command (which may hold spaces) in parentheses.
          const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
          processes.set(Number(name), {
            parent: Number(fields[1]),
            ticks: Number(fields[11]) + Number(fields[12]), // utime + stime
          });
        } catch {
          // the process ended meanwhile
        }
      }),
  );
  return processes;
}

/** Milliseconds of CPU used so far by this process's descendants (not by Node itself). */
export async function browserCpuMs() {
  const processes = await stats();
  if (!processes) return undefined;
  const isDescendant = (pid) => {
    for (let p = processes.get(pid)?.parent, depth = 0; p && depth < 32; p = processes.get(p)?.parent, depth++) {
      if (p === process.pid) return true;
    }
    return false;
  };
  let ticks = 0;
  for (const [pid, info] of processes) if (isDescendant(pid)) ticks += info.ticks;
  return (ticks / TICKS_PER_SECOND) * 1000;
}
