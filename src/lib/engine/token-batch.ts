/**
 * How often streamed text leaves the worker after the first token, in ms. The page draws a
 * streaming reply's markdown at most every 100 ms (`LIVE_RENDER_MS` in ui/chat/Markdown.svelte),
 * so text sent more often is never seen sooner; each message still wakes the page (a structured
 * clone, a store update, effects, a frame), and on two cores that work is taken from llama.cpp's
 * own threads. On the 37 MB bench model (~56 tok/s) going from 16 to 100 ms cut the page's
 * main-thread time per token by a third (script 1.19 → 0.66 ms).
 */
export const TOKEN_BATCH_MS = 100;

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
