/**
 * Keeps the screen on while a long job runs (a model download of hundreds of MB takes minutes on
 * a phone's connection). A phone whose screen turns off freezes the page, and the download with
 * it. The Screen Wake Lock API does this where the browser has it. The browser lets the lock go
 * whenever the page is hidden, so it is taken again when the page is visible again. Where the lock
 * is missing or refused (battery saver, a permissions policy), the job runs anyway.
 */
import type { VisibilityHost } from './visibility';

/** What this needs of `navigator` and `document` (the real ones, or a test's fakes). */
export interface AwakeHost extends VisibilityHost {
  wakeLock?: { request(type: 'screen'): Promise<{ readonly released: boolean; release(): Promise<void> }> } | undefined;
}

function browserHost(): AwakeHost | undefined {
  if (typeof document === 'undefined' || typeof navigator === 'undefined') return undefined;
  return {
    wakeLock: navigator.wakeLock,
    get visibilityState() {
      return document.visibilityState;
    },
    addEventListener: (type, listener) => document.addEventListener(type, listener),
    removeEventListener: (type, listener) => document.removeEventListener(type, listener),
  };
}

/** Runs `work` with the screen kept on; the lock is let go when it settles, however it ends. */
export async function whileScreenAwake<T>(work: () => Promise<T>, host = browserHost()): Promise<T> {
  const wakeLock = host?.wakeLock;
  if (!host || !wakeLock) return work();
  let lock: Awaited<ReturnType<typeof wakeLock.request>> | undefined;
  let done = false;
  let taking: Promise<void> | undefined;
  const attempt = async () => {
    if (done || host.visibilityState !== 'visible' || (lock && !lock.released)) return;
    try {
      const taken = await wakeLock.request('screen');
      if (done) void taken.release().catch(() => undefined);
      else lock = taken;
    } catch {
      // Refused: the screen may turn off, and the job goes on as long as the browser lets it.
    }
  };
  // One request at a time: a visibility change while one is pending must not take a second lock.
  const take = () => (taking ??= attempt().finally(() => (taking = undefined)));
  const onVisibility = () => void take();
  host.addEventListener('visibilitychange', onVisibility);
  void take();
  try {
    return await work();
  } finally {
    done = true;
    host.removeEventListener('visibilitychange', onVisibility);
    if (lock && !lock.released) void lock.release().catch(() => undefined);
  }
}
