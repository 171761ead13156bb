/**
 * Waits `ms` (Infinity: no timer), or less: until `until` settles or `signal` aborts. Never rejects:
 * a caller that must fail on the abort checks `signal.aborted` after it.
 */
export function delay(ms: number, signal?: AbortSignal, until?: Promise<unknown>): Promise<void> {
  return new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = ms === Infinity ? undefined : setTimeout(done, ms);
    void until?.then(done, done);
    signal?.addEventListener('abort', done, { once: true });
  });
}
