/** Download speed and time left, from progress samples over a sliding window (pure; testable). */

export interface RateSample {
  at: number; // ms
  bytes: number; // bytes received so far
}

const WINDOW_MS = 5000;

export class RateMeter {
  #samples: RateSample[] = [];

  add(bytes: number, at: number): void {
    const last = this.#samples.at(-1);
    if (last && bytes < last.bytes) this.#samples = []; // started over
    this.#samples.push({ at, bytes });
    while (this.#samples.length > 2 && at - this.#samples[0]!.at > WINDOW_MS) this.#samples.shift();
  }

  /** Bytes per second over the window; undefined until a second of data exists. */
  get bytesPerSecond(): number | undefined {
    const first = this.#samples[0];
    const last = this.#samples.at(-1);
    if (!first || !last || last.at - first.at < 1000) return undefined;
    return ((last.bytes - first.bytes) * 1000) / (last.at - first.at);
  }

  /** Seconds left at the current speed; undefined when unknown. */
  secondsLeft(total: number | undefined): number | undefined {
    const speed = this.bytesPerSecond;
    const last = this.#samples.at(-1);
    if (total === undefined || !speed || !last) return undefined;
    return Math.max(0, (total - last.bytes) / speed);
  }
}

export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${Math.ceil(seconds)} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(seconds / 3600)} h ${Math.round((seconds % 3600) / 60)} min`;
}
