/**
 * Page side of the engine protocol: an {@link Engine} that forwards every call to a dedicated
 * worker. The worker is started lazily on the first call; if it dies, every pending request is
 * rejected with `worker-crashed` and the next call starts a fresh one. Aborting a load
 * terminates the worker (no library can interrupt a half-initialised wasm module) and rejects with
 * an `AbortError`; a stopped chat resolves with `finishReason: 'aborted'`, as in the worker. A worker that
 * dies, or reports its engine `lost` (GPU device lost), is replaced and `onLost` is told, even
 * when no request was pending: the model it held is gone.
 */
import { abortError, EngineError } from './errors';
import { ReplyMeter } from './reply-meter';
import { assertNever } from '../shared/assert-never';
import type { EngineEvent, EngineRequest } from './engine-protocol';
import type {
  ChatMessage,
  ChatRequest,
  CompletionStats,
  Engine,
  LoadedModelInfo,
  LoadOptions,
  LoadProgress,
  EngineCache,
  ModelSource,
  StreamCallbacks,
} from './types';

/** What ends a pending request other than its reply: a failure, or an abort (a cancel, a shutdown). */
type Rejection = EngineError | DOMException;

type Pending =
  | {
      kind: 'load';
      resolve: (info: LoadedModelInfo) => void;
      reject: (error: Rejection) => void;
      onProgress: (progress: LoadProgress) => void;
    }
  | {
      kind: 'chat';
      resolve: (stats: CompletionStats) => void;
      reject: (error: Rejection) => void;
      onToken: (text: string) => void;
    }
  | { kind: 'unload'; resolve: () => void; reject: (error: Rejection) => void }
  | { kind: 'cache-delete'; resolve: () => void; reject: (error: Rejection) => void }
  // Embeddings for documents retrieval (issue 14).
  | { kind: 'embed'; resolve: (vector: number[]) => void; reject: (error: Rejection) => void }
  | { kind: 'prepare'; resolve: () => void; reject: (error: Rejection) => void };

/** Distributes `Omit` over a union, so each request kind keeps its own fields. */
type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

export interface WorkerEngineOptions {
  /** The worker died or its engine was lost: whatever it had loaded is gone. */
  onLost?: (error: EngineError) => void;
}

export class WorkerEngine implements Engine, EngineCache {
  readonly #createWorker: () => Worker;
  readonly #onLost: ((error: EngineError) => void) | undefined;
  #worker: Worker | undefined;
  #nextId = 1;
  readonly #pending = new Map<number, Pending>();

  constructor(createWorker: () => Worker, options: WorkerEngineOptions = {}) {
    this.#createWorker = createWorker;
    this.#onLost = options.onLost;
  }

  load(
    source: ModelSource,
    options: LoadOptions,
    onProgress: (progress: LoadProgress) => void,
    signal?: AbortSignal,
  ): Promise<LoadedModelInfo> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(abortError('Loading was cancelled.'));
      const id = this.#send({ kind: 'load', source, options }, { kind: 'load', resolve, reject, onProgress });
      signal?.addEventListener(
        'abort',
        () => {
          if (!this.#pending.has(id)) return;
          this.#restart(abortError('Loading was cancelled.'));
        },
        { once: true },
      );
    });
  }

  chat(request: ChatRequest, callbacks: StreamCallbacks, signal?: AbortSignal): Promise<CompletionStats> {
    // Stopped before it started: a reply with nothing in it, as a Stop later would give.
    if (signal?.aborted) return Promise.resolve(new ReplyMeter().finish({}, 'aborted'));
    return new Promise((resolve, reject) => {
      const id = this.#send(
        { kind: 'chat', request },
        { kind: 'chat', resolve, reject, onToken: (text) => callbacks.onToken(text) },
      );
      signal?.addEventListener(
        'abort',
        () => {
          if (!this.#pending.has(id)) return;
          const abort: EngineRequest = { kind: 'abort', id: this.#nextId++, target: id };
          this.#worker?.postMessage(abort);
        },
        { once: true },
      );
    });
  }

  unload(): Promise<void> {
    if (!this.#worker) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.#send({ kind: 'unload' }, { kind: 'unload', resolve, reject });
    });
  }

  deleteCached(source: ModelSource): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#send({ kind: 'cache-delete', source }, { kind: 'cache-delete', resolve, reject });
    });
  }

  /** Embeddings for documents retrieval (issue 14). */
  embed(text: string): Promise<number[]> {
    return new Promise((resolve, reject) => {
      this.#send({ kind: 'embed', text }, { kind: 'embed', resolve, reject });
    });
  }

  /** Never rejects: a worker lost meanwhile is told by the next call that needs it. */
  prepare(messages: ChatMessage[]): Promise<void> {
    return new Promise<void>((resolve) => {
      this.#send({ kind: 'prepare', messages }, { kind: 'prepare', resolve, reject: () => resolve() });
    });
  }

  dispose(): void {
    this.#restart(abortError('The engine was shut down.'));
  }

  /** Test hook and hard stop: kills the worker as a crash would. Nothing happens without one. */
  terminateWorker(): void {
    if (this.#worker) this.#lose(new EngineError('worker-crashed', 'The engine stopped unexpectedly.'));
  }

  #send(request: WithoutId<EngineRequest>, pending: Pending): number {
    const id = this.#nextId++;
    this.#pending.set(id, pending);
    const message: EngineRequest = { ...request, id };
    this.#ensureWorker().postMessage(message);
    return id;
  }

  #ensureWorker(): Worker {
    if (this.#worker) return this.#worker;
    const worker = this.#createWorker();
    worker.addEventListener('message', (event: MessageEvent<EngineEvent>) => this.#receive(event.data));
    worker.addEventListener('error', (event) => {
      event.preventDefault();
      this.#lose(new EngineError('worker-crashed', `The engine stopped unexpectedly: ${event.message}`));
    });
    worker.addEventListener('messageerror', () =>
      this.#lose(new EngineError('worker-crashed', 'The engine sent a message that could not be read.')),
    );
    this.#worker = worker;
    return worker;
  }

  /** Terminates the worker and rejects everything pending; the next call starts afresh. */
  #restart(reason: Rejection): void {
    this.#worker?.terminate();
    this.#worker = undefined;
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const request of pending) request.reject(reason);
  }

  /** The worker's model is gone with it: restart, then say so. */
  #lose(reason: EngineError): void {
    this.#restart(reason);
    this.#onLost?.(reason);
  }

  #receive(event: EngineEvent): void {
    if (event.kind === 'lost') return this.#lose(EngineError.fromRecord(event.error));
    const pending = this.#pending.get(event.id);
    if (!pending) return; // superseded or already settled
    switch (event.kind) {
      case 'load-progress':
        if (pending.kind !== 'load') return this.#mismatch(event.id, pending, event);
        pending.onProgress(event.progress);
        return;
      case 'token':
        if (pending.kind !== 'chat') return this.#mismatch(event.id, pending, event);
        pending.onToken(event.text);
        return;
      case 'loaded':
        if (pending.kind !== 'load') return this.#mismatch(event.id, pending, event);
        this.#pending.delete(event.id);
        pending.resolve(event.info);
        return;
      case 'chat-done':
        if (pending.kind !== 'chat') return this.#mismatch(event.id, pending, event);
        this.#pending.delete(event.id);
        pending.resolve(event.stats);
        return;
      case 'unloaded':
        if (pending.kind !== 'unload') return this.#mismatch(event.id, pending, event);
        this.#pending.delete(event.id);
        pending.resolve();
        return;
      case 'cache-deleted':
        if (pending.kind !== 'cache-delete') return this.#mismatch(event.id, pending, event);
        this.#pending.delete(event.id);
        pending.resolve();
        return;
      case 'embedded':
        if (pending.kind !== 'embed') return this.#mismatch(event.id, pending, event);
        this.#pending.delete(event.id);
        pending.resolve(event.vector);
        return;
      case 'prepared':
        if (pending.kind !== 'prepare') return this.#mismatch(event.id, pending, event);
        this.#pending.delete(event.id);
        pending.resolve();
        return;
      case 'failed':
        this.#pending.delete(event.id);
        pending.reject(EngineError.fromRecord(event.error));
        return;
      default:
        assertNever(event);
    }
  }

  /** A reply of the wrong kind for its request: the caller is told, never left waiting. */
  #mismatch(id: number, pending: Pending, event: EngineEvent): void {
    this.#pending.delete(id);
    pending.reject(
      new EngineError('inference-failed', `The engine answered a ${pending.kind} request with ${event.kind}.`),
    );
  }
}
