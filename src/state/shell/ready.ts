/**
 * Start-up in two steps. The first view is ready when it is usable — for chat, the message box
 * on screen with the conversation and the drafts read, so what is typed stays where it is typed —
 * marked once per page as `app:ready` (User Timing; the tests and the bench wait for it). All
 * the rest (other views, the job and speech stores, workers, the service worker, the WebGPU
 * probe) waits for `afterStartup()`: ready, then a moment the main thread is idle.
 * docs/decisions/0022-start-up-path.md
 */
import { idle } from '../../lib/shared/idle';

export const READY_MARK = 'app:ready';
/** Everything start-up deferred has run (stores created, views prefetched). */
export const SETTLED_MARK = 'app:settled';

/** How long deferred work waits for an idle main thread at most. */
const IDLE_TIMEOUT_MS = 1000;

let resolveReady: () => void = () => undefined;
const ready = new Promise<void>((resolve) => (resolveReady = resolve));

/** Marks the first view ready (later calls do nothing). */
export function markReady(): void {
  if (performance.getEntriesByName(READY_MARK).length === 0) performance.mark(READY_MARK);
  resolveReady();
}

/** Marks the deferred start-up work done. */
export function markSettled(): void {
  performance.mark(SETTLED_MARK);
}

/** Resolves once the first view is ready. */
export function whenReady(): Promise<void> {
  return ready;
}

/** Resolves when the main thread is next idle, within IDLE_TIMEOUT_MS: between deferred steps. */
export const startupIdle = (): Promise<void> => idle(IDLE_TIMEOUT_MS);

/** Resolves after the first view is ready and the main thread has had an idle moment. */
export function afterStartup(): Promise<void> {
  return ready.then(startupIdle);
}
