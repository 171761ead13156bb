/**
 * Coalesces frequent writes (a reply streaming in changes its conversation dozens of times a
 * second) into at most one write per key per `delayMs`. `flush()` writes everything pending at
 * once, for `pagehide` / `visibilitychange` and before switching conversations.
 */
export class DebouncedWriter<T> {
  readonly #pending = new Map<string, () => T>();
  readonly #write: (value: T) => Promise<void>;
  readonly #delayMs: number;
  readonly #onError: (error: unknown) => void;
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** Writes under way (a flush resolves only when earlier ones have landed too). */
  #landing: Promise<unknown> = Promise.resolve();

  constructor(write: (value: T) => Promise<void>, delayMs: number, onError: (error: unknown) => void) {
    this.#write = write;
    this.#delayMs = delayMs;
    this.#onError = onError;
  }

  /** `read` is called at write time, so the newest value is the one written. */
  schedule(key: string, read: () => T): void {
    this.#pending.set(key, read);
    this.#timer ??= setTimeout(() => void this.flush(), this.#delayMs);
  }

  /** Drops a pending write (the record was deleted). */
  cancel(key: string): void {
    this.#pending.delete(key);
  }

  /** A write of `key` is waiting. */
  has(key: string): boolean {
    return this.#pending.has(key);
  }

  get pending(): number {
    return this.#pending.size;
  }

  /**
   * Resolves once everything scheduled so far has been written, including writes already under
   * way. `write` replaces the usual write for this flush (a closing page's quicker one).
   */
  async flush(write: (value: T) => Promise<void> = this.#write): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const reads = [...this.#pending.values()];
    this.#pending.clear();
    const batch = Promise.all(
      reads.map(async (read) => {
        try {
          await write(read());
        } catch (error) {
          this.#onError(error);
        }
      }),
    );
    const landed = Promise.all([this.#landing, batch]).then(() => undefined);
    this.#landing = landed;
    await landed;
  }
}

/**
 * Calls `flush` when the page is hidden or closed (a write started later may never land);
 * returns the function that stops listening.
 */
export function flushWhenPageHides(flush: () => void): () => void {
  const whenHidden = () => {
    if (document.visibilityState === 'hidden') flush();
  };
  addEventListener('pagehide', flush);
  document.addEventListener('visibilitychange', whenHidden);
  return () => {
    removeEventListener('pagehide', flush);
    document.removeEventListener('visibilitychange', whenHidden);
  };
}
