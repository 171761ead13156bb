/**
 * Page side of the documents protocol: one call per request id, results typed by call kind. The
 * worker starts on the first call; if it dies, every pending call is rejected and the next call
 * starts a fresh one (the library is on disk, so nothing is lost).
 */
import type { IndexingProgress } from './library';
import type { IndexerCallKind, IndexerCalls, IndexerEvent, IndexerFailure, IndexerRequest } from './indexer-protocol';

export class IndexerError extends Error {
  override name = 'IndexerError';
  readonly code: string;
  constructor(failure: IndexerFailure) {
    super(failure.message);
    this.code = failure.code;
  }
}

interface Pending {
  resolve: (result: unknown) => void;
  reject: (error: Error) => void;
  onProgress?: (progress: IndexingProgress) => void;
}

export class IndexerClient {
  readonly #createWorker: () => Worker;
  #worker: Worker | undefined;
  #nextId = 1;
  readonly #pending = new Map<number, Pending>();

  constructor(createWorker: () => Worker) {
    this.#createWorker = createWorker;
  }

  call<K extends IndexerCallKind>(
    kind: K,
    args: IndexerCalls[K]['args'],
    onProgress?: (progress: IndexingProgress) => void,
  ): Promise<IndexerCalls[K]['result']> {
    return new Promise((resolve, reject) => {
      const id = this.#nextId++;
      this.#pending.set(id, {
        resolve: resolve as (result: unknown) => void,
        reject,
        ...(onProgress ? { onProgress } : {}),
      });
      const request = { ...args, kind, id } as IndexerRequest;
      this.#ensureWorker().postMessage(request);
    });
  }

  dispose(): void {
    this.#restart(new IndexerError({ code: 'failed', message: 'The documents worker was shut down.' }));
  }

  #ensureWorker(): Worker {
    if (this.#worker) return this.#worker;
    const worker = this.#createWorker();
    worker.addEventListener('message', (event: MessageEvent<IndexerEvent>) => this.#receive(event.data));
    worker.addEventListener('error', (event) => {
      event.preventDefault();
      this.#restart(new IndexerError({ code: 'failed', message: `The documents worker stopped: ${event.message}` }));
    });
    this.#worker = worker;
    return worker;
  }

  #restart(reason: Error): void {
    this.#worker?.terminate();
    this.#worker = undefined;
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const call of pending) call.reject(reason);
  }

  #receive(event: IndexerEvent): void {
    const pending = this.#pending.get(event.id);
    if (!pending) return;
    switch (event.kind) {
      case 'progress':
        pending.onProgress?.(event.progress);
        return;
      case 'result':
        this.#pending.delete(event.id);
        pending.resolve(event.result);
        return;
      case 'failed':
        this.#pending.delete(event.id);
        pending.reject(new IndexerError(event.error));
        return;
    }
  }
}
