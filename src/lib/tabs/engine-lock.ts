/**
 * One tab runs the model at a time. This module owns that rule, through the Web Locks API: the
 * tab holding the `nook-engine` lock owns the engine; the others wait in the lock's queue and get
 * it when the owner closes, or take it at once (`steal`) when the user asks to use Nook there.
 * A tab whose lock was taken hears it (the browser rejects its request with an AbortError) and
 * must free its engine. It knows nothing of engines or UI: it only reports who owns the lock.
 */

export type EngineOwner =
  /** This tab runs the model. */
  | 'here'
  /** Another tab does; this one waits for it to close or for the user to take over. */
  | 'elsewhere';

/** Why this tab's ownership changed, for the message shown. */
export type OwnerChange = { owner: EngineOwner; reason: 'start' | 'taken-over' | 'freed' | 'took-over' };

export const ENGINE_LOCK = 'nook-engine';

export class EngineLock {
  readonly #locks: LockManager;
  readonly #onChange: (change: OwnerChange) => void;
  /** Resolving it lets go of the lock. */
  #release: (() => void) | undefined;
  /** Aborts this tab's place in the queue. */
  #waiting: AbortController | undefined;
  #stopped = false;

  constructor(locks: LockManager, onChange: (change: OwnerChange) => void) {
    this.#locks = locks;
    this.#onChange = onChange;
  }

  /** Takes the lock if it is free, else queues for it. */
  start(): Promise<void> {
    return new Promise((decided) => {
      this.#request({ ifAvailable: true }, 'start', decided, () => {
        this.#onChange({ owner: 'elsewhere', reason: 'start' });
        this.#queue();
        decided();
      });
    });
  }

  /** The user wants Nook here: take the lock from the tab holding it. */
  takeOver(): Promise<void> {
    this.#waiting?.abort();
    this.#waiting = undefined;
    return new Promise((resolve) => {
      this.#request({ steal: true }, 'took-over', resolve);
    });
  }

  /** Lets go of the lock (the page is closing, or the app is torn down). */
  stop(): void {
    this.#stopped = true;
    this.#waiting?.abort();
    this.#release?.();
  }

  #queue(): void {
    const waiting = new AbortController();
    this.#waiting = waiting;
    this.#request({ signal: waiting.signal }, 'freed');
  }

  #hold(reason: OwnerChange['reason']): Promise<void> {
    this.#onChange({ owner: 'here', reason });
    return new Promise<void>((release) => (this.#release = release));
  }

  /**
   * Requests the lock and holds it until released or taken; a taken lock queues again.
   * `unavailable` is called instead of holding when `ifAvailable` found it taken.
   */
  #request(options: LockOptions, reason: OwnerChange['reason'], granted?: () => void, unavailable?: () => void): void {
    this.#locks
      .request(ENGINE_LOCK, options, (lock) => {
        if (!lock) return unavailable?.();
        granted?.();
        return this.#hold(reason);
      })
      .catch((error: unknown) => {
        // Our queued request was withdrawn (taking over, stopping): nothing changed hands.
        if (options.signal?.aborted || this.#stopped) return;
        if (error instanceof DOMException && error.name === 'AbortError') {
          this.#release = undefined;
          this.#onChange({ owner: 'elsewhere', reason: 'taken-over' });
          this.#queue();
          return;
        }
        console.warn('The engine lock failed', error);
      });
  }
}
