/**
 * Streamed text, sent from the worker in batches of at most one a frame. A fast engine on a small
 * model yields hundreds of tokens a second; one message per token makes the page wake (a
 * structured clone, a store update, a re-render check) far more often than it can draw, and on two
 * cores that work is taken from the engine itself. The first token goes out at once, so the time
 * to first token is not touched; later ones wait at most `intervalMs`.
 */
export class TokenBatcher {
  readonly #send: (text: string) => void;
  readonly #intervalMs: number;
  readonly #now: () => number;
  #held = '';
  #sentAt = -Infinity;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(send: (text: string) => void, intervalMs = 16, now: () => number = () => performance.now()) {
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
