const NO_IDLE_PAUSE_MS = 50;

/**
 * Resolves when the main thread is next idle (`requestIdleCallback`), or after `timeoutMs` at
 * most; where the browser has no idle callbacks (Safari), after a short pause that lets input and
 * paint through.
 */
export function idle(timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    if (typeof requestIdleCallback === 'function') requestIdleCallback(() => resolve(), { timeout: timeoutMs });
    else setTimeout(resolve, NO_IDLE_PAUSE_MS);
  });
}
