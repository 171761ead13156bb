import type { MarkerHost } from '../load-marker';

/** A fake of localStorage and the Web Locks of one browser, shared by the "tabs" of a test. */
export class FakeBrowser {
  readonly items = new Map<string, string>();
  readonly held = new Set<string>();
  readonly storage: MarkerHost['storage'] = {
    getItem: (key) => this.items.get(key) ?? null,
    setItem: (key, value) => void this.items.set(key, value),
    removeItem: (key) => void this.items.delete(key),
  };

  /** One tab's view of the browser; `crash()` lets go of that tab's locks, as the browser does. */
  tab(): { host: MarkerHost; crash: () => void } {
    const mine = new Set<string>();
    const locks = {
      request: async (name: string, callback: () => unknown) => {
        this.held.add(name);
        mine.add(name);
        try {
          return await callback();
        } finally {
          this.held.delete(name);
          mine.delete(name);
        }
      },
      query: async () => ({ held: [...this.held].map((name) => ({ name, mode: 'exclusive' as const })), pending: [] }),
    } as unknown as MarkerHost['locks'];
    return {
      host: { storage: this.storage, locks },
      crash: () => {
        for (const name of mine) this.held.delete(name);
      },
    };
  }
}
