// The table's rows and the small formatting helpers several sections share.
import { round } from './stats.mjs';

/**
 * One row of the table: a figure, its value, the target, whether it holds (null: reported only).
 * @typedef {{ figure: string, value: string, target: string, holds: boolean | null, note: string }} Row
 */

/** @returns {Row} */
export const row = (figure, value, target, holds, note = '') => ({ figure, value, target, holds, note });

const notRun = new WeakSet();

/** The row of a section that did not run or did not finish: the table says why, the rest still prints. */
export function notRunRow(section, value, reason) {
  const notRunning = row(`${section} section`, value, '—', null, reason);
  notRun.add(notRunning);
  return notRunning;
}

/** Whether a row is one of notRunRow's. */
export const didNotRun = (row) => notRun.has(row);

/** A generated model as the table names it: "Bench Tiny (1.2 MB)". */
export const label = (model) => `${model.name} (${round(model.sizeBytes / 1e6, 1)} MB)`;

export const mbOf = (bytes) => `${round(bytes / 1e6, 0)} MB`;

/** A load's steps as "step ms, …" (lib/engine/load-timings' names). */
export const stepsText = (steps) =>
  Object.entries(steps ?? {})
    .map(([step, ms]) => `${step} ${ms}`)
    .join(', ');

/** CPU by part (bench/lib/cpu.mjs), app (raw), in ms (or ms ÷ `unit`). */
export const cpuParts = ({ appCpuParts: app, rawCpuParts: raw }, unit = 1) =>
  app && raw
    ? Object.keys(app)
        .map((part) => `${part} ${round(app[part] / unit, 2)} (${round(raw[part] / unit, 2)})`)
        .join(', ')
    : 'no /proc';
