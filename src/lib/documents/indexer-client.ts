/**
 * Page side of the documents protocol, over a WorkerBridge: one call per request id, results
 * typed by call kind. The worker starts on the first call; if it dies or sends what cannot be
 * read, every pending call is rejected and the next call starts a fresh one (the library is on
 * disk, so nothing is lost).
 */
import { assertNever } from '../shared/assert-never';
import {
  WorkerBridge,
  type Addressed,
  type Heard,
  type WithoutId,
  type WorkerLike,
  type WorkerLoss,
} from '../shared/worker-bridge';
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

const lostError = (loss: WorkerLoss) =>
  new IndexerError({
    code: 'failed',
    message:
      loss.kind === 'crashed'
        ? `The documents worker stopped: ${loss.detail}`
        : 'The documents worker sent a message that could not be read.',
  });

export class IndexerClient {
  readonly #bridge: WorkerBridge<IndexerRequest, IndexerEvent, Pending, IndexerError>;

  constructor(createWorker: () => WorkerLike) {
    this.#bridge = new WorkerBridge<IndexerRequest, IndexerEvent, Pending, IndexerError>(createWorker, {
      receive: receiveIndexerEvent,
      lostError,
    });
  }

  call<K extends IndexerCallKind>(
    kind: K,
    args: IndexerCalls[K]['args'],
    onProgress?: (progress: IndexingProgress) => void,
  ): Promise<IndexerCalls[K]['result']> {
    return new Promise((resolve, reject) => {
      // The arguments of call `kind`, with it, are that kind's request: TypeScript cannot see it.
      const request = { ...args, kind } as WithoutId<IndexerRequest>;
      this.#bridge.call(request, {
        resolve: resolve as (result: unknown) => void,
        reject,
        ...(onProgress ? { onProgress } : {}),
      });
    });
  }

  dispose(): void {
    this.#bridge.terminate(new IndexerError({ code: 'failed', message: 'The documents worker was shut down.' }));
  }
}

function receiveIndexerEvent(event: Addressed<IndexerEvent>, pending: Pending): Heard {
  switch (event.kind) {
    case 'progress':
      pending.onProgress?.(event.progress);
      return 'open';
    case 'result':
      pending.resolve(event.result);
      return 'settled';
    case 'failed':
      pending.reject(new IndexerError(event.error));
      return 'settled';
    default:
      return assertNever(event);
  }
}
