/**
 * How often streamed text leaves the worker after the first token, in ms: five updates a second.
 * Each update the page draws takes CPU from llama.cpp's threads on a small machine, so fewer
 * updates stream faster; a model slower than five tokens a second still shows every token as it
 * comes. The measurements: docs/decisions/0002-token-batch-interval.md.
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
