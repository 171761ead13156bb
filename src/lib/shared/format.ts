/** Human-readable figures for the UI. */

export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = -1;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

export function formatPercent(fraction: number): string {
  return `${Math.floor(Math.max(0, Math.min(1, fraction)) * 100)} %`;
}

export function deviceLabel(device: 'webgpu' | 'cpu'): string {
  return device === 'webgpu' ? 'WebGPU' : 'CPU';
}

/** "1 token", "2 tokens". */
export function countOf(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/**
 * A generation or reading speed that stays meaningful on slow devices: "312 tok/s", "42.5 tok/s",
 * and below one token a second the time per token, "14 s/token", rather than "0.0 tok/s".
 * "— tok/s" when nothing was measured.
 */
export function formatTokenRate(tokensPerSecond: number): string {
  if (!Number.isFinite(tokensPerSecond) || tokensPerSecond <= 0) return '— tok/s';
  if (tokensPerSecond >= 1) return `${tokensPerSecond.toFixed(tokensPerSecond < 100 ? 1 : 0)} tok/s`;
  const seconds = 1 / tokensPerSecond;
  return `${seconds.toFixed(seconds < 10 ? 1 : 0)} s/token`;
}

/** A short span of time as people say it: "0.4 s", "12 s", "2 min 5 s". */
export function formatSeconds(ms: number): string {
  const seconds = Math.max(0, ms) / 1000;
  if (seconds < 10) return `${Math.round(seconds * 10) / 10} s`;
  if (seconds < 59.5) return `${Math.round(seconds)} s`;
  const whole = Math.round(seconds);
  const minutes = Math.floor(whole / 60);
  const rest = whole % 60;
  return rest ? `${minutes} min ${rest} s` : `${minutes} min`;
}
