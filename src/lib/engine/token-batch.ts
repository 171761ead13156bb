/**
 * How often streamed text leaves the worker after the first token, in ms: five updates a second.
 * Each message wakes the page (a structured clone, a store update, effects) and each update it
 * draws costs style, layout, paint, raster and a composited frame, across the page's threads and
 * the GPU process. llama.cpp runs one thread per core, so on a small machine that work is taken
 * from its threads, which then wait for each other at every barrier. On the 37 MB bench model
 * (~55 tok/s, 2 cores), going from 16 to 100 ms cut the page's main-thread time per token by a
 * third (script 1.19 → 0.66 ms); from 100 to 200 ms it went from 3.65–4.25 to 1.95 ms per token,
 * and streaming from 0.83–0.87 to 0.93–0.98 of the raw engine's rate. A model slower than 5 tok/s
 * (the 0.5B models on this machine) still shows every token as it comes.
 */
export const TOKEN_BATCH_MS = 200;

/**
 * Streamed text, sent from the worker in batches. A fast engine on a small model yields dozens
 * to hundreds of tokens a second; one message per token makes the page do its per-message work
 * far more often than it draws. The first token goes out at once, so the time to first token is
 * not touched; later ones wait at most `intervalMs`.
 */
export class TokenBatcher {
  readonly #send: (text: string) => void;
  readonly #intervalMs: number;
  readonly #now: () => number;
  #held = '';
  #sentAt = -Infinity;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(send: (text: string) => void, intervalMs = TOKEN_BATCH_MS, now: () => number = () => performance.now()) {
    this.#send = send;
    this.#intervalMs = intervalMs;
    this.#now = now;
  }

  push(text: string): void {
    this.#held += text;
    if (this.#timer !== undefined) return;
    const wait = this.#sentAt + this.#intervalMs - this.#now();
    if (wait <= 0) this.flush();
    else this.#timer = setTimeout(() => this.flush(), wait);
  }

  /** Sends what is held now (call before the reply's end is reported). */
  flush(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    if (!this.#held) return;
    const text = this.#held;
    this.#held = '';
    this.#sentAt = this.#now();
    this.#send(text);
  }
}
