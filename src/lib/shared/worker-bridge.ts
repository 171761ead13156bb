/**
 * One request/reply channel to a dedicated worker, used by every worker boundary in Nook. Each
 * boundary keeps its own protocol module (a discriminated union each way; a request and every
 * reply to it carry the request's `id`) and its own client, which turns replies into results.
 * This module does, once, what all of them need:
 *
 * - the worker starts on the first call, not before;
 * - each call gets a rising id and each reply is routed to its call by that id; a reply to a
 *   call already settled or given up is dropped, so a stale result never lands;
 * - a worker that dies (`error`) or sends a message that cannot be read (`messageerror`) is
 *   lost: every pending call is rejected with the client's typed error, `onLost` is told, and
 *   the next call starts a fresh worker;
 * - `terminate()` is the hard stop: the worker goes and every pending call is rejected;
 * - one call can be aborted through an `AbortSignal`, in the way its client picks.
 *
 * A boundary's files: `<boundary>-protocol.ts` (types only, imported with `import type` by both
 * realms), `<boundary>-client.ts` (page side, over this bridge), `<boundary>-serve.ts` (worker
 * side, testable over a MessageChannel) and `<what it runs>.worker.ts` (the entry, which only
 * hands the real thing to the serve function).
 */

/** What the bridge needs of a Worker: a real one, or a fake one named as one in a test. */
export interface WorkerLike {
  postMessage(message: unknown, transfer: Transferable[]): void;
  addEventListener(type: 'message' | 'messageerror', listener: (event: MessageEvent) => void): void;
  addEventListener(type: 'error', listener: (event: ErrorEvent) => void): void;
  terminate(): void;
}

/** The worker's end of a boundary: its global scope, or a MessagePort in a test. */
export interface ServePort<Request, Reply> {
  postMessage(message: Reply, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<Request>) => void): void;
}

/** Every message of a protocol names its kind. */
interface Message {
  kind: string;
}

/** Replies that belong to a call (they carry its id). */
export type Addressed<Reply> = Extract<Reply, { id: number }>;
/** Messages the worker sends of its own accord (no id), e.g. "my GPU device was lost". */
export type Unasked<Reply> = Exclude<Reply, { id: number }>;
/** A request as a client writes it; the bridge gives it its id. `Omit` over each member of the union. */
export type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

/** The client's record of one call: whatever it needs to settle it, and a way to fail it. */
export interface PendingCall {
  reject(error: Error): void;
}

/** What a reply did to its call: `settled` it (a result, a failure), or left it `open` (progress). */
export type Heard = 'settled' | 'open';

/** Why a worker was lost. */
export type WorkerLoss =
  /** It died: an uncaught error, a failed start, a kill by the browser. */
  | { kind: 'crashed'; detail: string }
  /** It sent a message that could not be deserialized: that reply, and so its call, is lost. */
  | { kind: 'unreadable' };

/** What an abort of one call does. */
export type AbortPlan<Request> =
  /** Rejects the call alone at once with this error; its late reply is dropped, the worker goes on. */
  | { drop: () => Error }
  /**
   * Posts `tell(id)` to the worker and leaves the call to the worker's answer (a stopped reply
   * that keeps what streamed, a download that fails as cancelled).
   */
  | { tell: (id: number) => Request }
  /**
   * The hard stop: terminates the worker and rejects every pending call with this error (nothing
   * else interrupts a half-initialised wasm module).
   */
  | { terminate: () => Error };

export interface CallOptions<Request> {
  /** Buffers that move to the worker instead of being copied (they are detached here). */
  transfer?: Transferable[];
  signal?: AbortSignal;
  /** What the signal's abort does; by default the call is dropped with an `AbortError`. */
  onAbort?: AbortPlan<Request>;
}

export interface WorkerBridgeOptions<Reply, Call extends PendingCall, Lost extends Error> {
  /** Hears a reply to a pending call; an exhaustive switch over the boundary's reply kinds. */
  receive(reply: Addressed<Reply>, call: Call): Heard;
  /** Hears what the worker sent unasked (a boundary without such messages leaves this out). */
  unasked?(message: Unasked<Reply>): void;
  /** The boundary's own typed error for a lost worker: every pending call is rejected with it. */
  lostError(loss: WorkerLoss): Lost;
  /** Told after a loss, once the pending calls are rejected (not after `terminate()`). */
  onLost?(error: Lost): void;
}

const dropAsAbort: AbortPlan<never> = { drop: () => new DOMException('The call was aborted.', 'AbortError') };

export class WorkerBridge<
  Request extends Message & { id: number },
  Reply extends Message,
  Call extends PendingCall,
  Lost extends Error = Error,
> {
  readonly #createWorker: () => WorkerLike;
  readonly #options: WorkerBridgeOptions<Reply, Call, Lost>;
  #worker: WorkerLike | undefined;
  #nextId = 1;
  readonly #pending = new Map<number, { call: Call; detach: () => void }>();

  constructor(createWorker: () => WorkerLike, options: WorkerBridgeOptions<Reply, Call, Lost>) {
    this.#createWorker = createWorker;
    this.#options = options;
  }

  /** Whether a worker is running now (none before the first call, nor after a loss or terminate). */
  get running(): boolean {
    return this.#worker !== undefined;
  }

  /**
   * Posts `request` as a new call, starting the worker if none runs, and returns the call's id.
   * `call` is handed back to `receive` with each reply to it. A signal already aborted posts
   * nothing (with a `tell` plan, the request and the tell are both posted).
   */
  call(request: WithoutId<Request>, call: Call, options: CallOptions<Request> = {}): number {
    const id = this.#nextId++;
    const { signal, onAbort = dropAsAbort } = options;
    if (signal?.aborted && !('tell' in onAbort)) {
      call.reject('drop' in onAbort ? onAbort.drop() : onAbort.terminate());
      return id;
    }
    this.#pending.set(id, { call, detach: this.#listen(id, signal, onAbort) });
    // The union without its ids, with an id again, is the union: TypeScript cannot see it.
    this.#ensure().postMessage({ ...request, id } as Request, options.transfer ?? []);
    if (signal?.aborted && 'tell' in onAbort) this.post(onAbort.tell(id));
    return id;
  }

  /**
   * Posts a message that starts no call (an answer to a question the worker asked) to the
   * running worker. With none running there is no one to tell, and nothing is sent.
   */
  post(message: Request, transfer: Transferable[] = []): void {
    this.#worker?.postMessage(message, transfer);
  }

  /** The hard stop: terminates the worker and rejects every pending call with `reason`. */
  terminate(reason: Error): void {
    const worker = this.#worker;
    this.#worker = undefined;
    worker?.terminate();
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const { call, detach } of pending) {
      detach();
      call.reject(reason);
    }
  }

  /** The worker can no longer serve (it died, or said so): terminate, then tell `onLost`. */
  lose(error: Lost): void {
    this.terminate(error);
    this.#options.onLost?.(error);
  }

  #ensure(): WorkerLike {
    if (this.#worker) return this.#worker;
    const worker = this.#createWorker();
    // A worker already replaced can still deliver an event that was under way: it is ignored.
    const current = () => this.#worker === worker;
    worker.addEventListener('message', (event) => {
      if (current()) this.#hear(event.data as Reply);
    });
    worker.addEventListener('error', (event) => {
      event.preventDefault(); // handled here, not reported again as the page's own error
      if (current()) this.lose(this.#options.lostError({ kind: 'crashed', detail: event.message ?? '' }));
    });
    worker.addEventListener('messageerror', () => {
      if (current()) this.lose(this.#options.lostError({ kind: 'unreadable' }));
    });
    this.#worker = worker;
    return worker;
  }

  #hear(message: Reply): void {
    if (!isAddressed(message)) {
      this.#options.unasked?.(message as Unasked<Reply>);
      return;
    }
    const entry = this.#pending.get(message.id);
    if (!entry) return; // settled, given up, or sent to a worker since replaced
    if (this.#options.receive(message, entry.call) === 'open') return;
    this.#pending.delete(message.id);
    entry.detach();
  }

  /** Wires the call's signal to its plan; returns how to unwire it once the call is over. */
  #listen(id: number, signal: AbortSignal | undefined, plan: AbortPlan<Request>): () => void {
    if (!signal) return () => undefined;
    const abort = () => {
      const entry = this.#pending.get(id);
      if (!entry) return;
      if ('tell' in plan) return this.post(plan.tell(id));
      if ('terminate' in plan) return this.terminate(plan.terminate());
      this.#pending.delete(id);
      entry.detach();
      entry.call.reject(plan.drop());
    };
    signal.addEventListener('abort', abort, { once: true });
    return () => signal.removeEventListener('abort', abort);
  }
}

function isAddressed<Reply extends Message>(message: Reply): message is Addressed<Reply> {
  return typeof (message as { id?: unknown }).id === 'number';
}
