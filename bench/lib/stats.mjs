// Small statistics helpers for the benchmark.

/** @param {number[]} values */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** @param {number} value @param {number} digits */
export const round = (value, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

/** The lowest and highest value: how far single pairs strayed from their median. */
export const range = (values) => [Math.min(...values), Math.max(...values)];
