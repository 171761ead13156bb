/**
 * A load the tab never finished because the tab itself was gone: the usual end of a model too
 * large for a phone, whose system kills the whole tab (no error reaches the page; the next visit
 * starts afresh). Each load leaves a marker in localStorage for as long as it runs, with a Web Lock
 * of its own held meanwhile; a normal end, a failure, a cancel and a closing page remove it. At the
 * next start, a marker whose lock nobody holds belonged to a tab that died while loading, and the
 * app can tell the user why Nook closed. A marker whose lock is held is another tab's load in
 * progress, left alone.
 */

import { formatBytes } from '../shared/format';

const KEY = 'nook:loading';
const LOCK_PREFIX = 'nook-load:';

/** What a load in progress records of itself. */
export interface LoadRecord {
  modelId: string;
  name: string;
}

interface StoredMarker extends LoadRecord {
  token: string;
  startedAt: number;
}

/** What this needs of the browser (the real localStorage and Web Locks, or a test's fakes). */
export interface MarkerHost {
  storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;
  locks: Pick<LockManager, 'request' | 'query'>;
}

function browserHost(): MarkerHost | undefined {
  try {
    if (typeof localStorage === 'undefined' || typeof navigator === 'undefined' || !navigator.locks) return undefined;
    return { storage: localStorage, locks: navigator.locks };
  } catch {
    return undefined; // storage blocked (e.g. third-party contexts): no marker, no notice
  }
}

function readMarker(storage: MarkerHost['storage']): StoredMarker | undefined {
  try {
    const value: unknown = JSON.parse(storage.getItem(KEY) ?? 'null');
    if (!value || typeof value !== 'object') return undefined;
    const { modelId, name, token, startedAt } = value as Partial<StoredMarker>;
    if (typeof modelId !== 'string' || typeof name !== 'string' || typeof token !== 'string') return undefined;
    return { modelId, name, token, startedAt: typeof startedAt === 'number' ? startedAt : 0 };
  } catch {
    return undefined;
  }
}

export class LoadMarker {
  readonly #host: MarkerHost | undefined;
  /** The load this tab marked, and how to let go of its lock. */
  #current: { token: string; release: () => void; ended: boolean } | undefined;

  constructor(host: MarkerHost | undefined = browserHost()) {
    this.#host = host;
  }

  /** A load starts: its lock is taken, then the marker written (so a held lock always backs it). */
  begin(load: LoadRecord): void {
    const host = this.#host;
    if (!host) return;
    this.end();
    const token = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const current = { token, release, ended: false };
    this.#current = current;
    void host.locks
      .request(LOCK_PREFIX + token, () => {
        // The load may have ended before the lock came: then there is nothing to mark.
        if (current.ended) return undefined;
        try {
          host.storage.setItem(KEY, JSON.stringify({ ...load, token, startedAt: Date.now() }));
        } catch {
          return undefined; // storage full or blocked: this load goes unmarked
        }
        return held;
      })
      .catch(() => undefined);
  }

  /** The load ended, however (or the page is closing): its marker goes, if still its own. */
  end(): void {
    const current = this.#current;
    if (!current) return;
    this.#current = undefined;
    current.ended = true;
    const host = this.#host;
    try {
      if (host && readMarker(host.storage)?.token === current.token) host.storage.removeItem(KEY);
    } catch {
      // storage blocked meanwhile: the marker stays, and its lock is let go below
    }
    current.release();
  }

  /**
   * The load of a tab that died while loading, once: read and removed. Undefined when there was
   * none, or when the marker's lock is held (another tab is loading right now).
   */
  async takeInterrupted(): Promise<LoadRecord | undefined> {
    const host = this.#host;
    if (!host) return undefined;
    const marker = readMarker(host.storage);
    if (!marker || marker.token === this.#current?.token) return undefined;
    const { held = [] } = await host.locks.query().catch(() => ({ held: [] as LockInfo[] }));
    if (held.some((lock) => lock.name === LOCK_PREFIX + marker.token)) return undefined;
    // Read again: the marker may have changed while the locks were asked.
    if (readMarker(host.storage)?.token !== marker.token) return undefined;
    try {
      host.storage.removeItem(KEY);
    } catch {
      // blocked: told again next time, which is still true
    }
    return { modelId: marker.modelId, name: marker.name };
  }
}

/** What the user is told of a load whose tab was gone; `storedBytes` where the model is still stored. */
export function interruptedLoadMessage(name: string, storedBytes: number | undefined): string {
  const size = storedBytes === undefined ? '' : ` (${formatBytes(storedBytes)})`;
  const kept = storedBytes === undefined ? '' : ' It is still stored.';
  return `Nook closed while loading ${name}${size}. That usually means the device ran out of memory for it. Before you load it again, close other tabs and apps, or choose a smaller model.${kept}`;
}
