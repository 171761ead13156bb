/**
 * Page side of the engine protocol: an {@link Engine} that forwards every call to a dedicated
 * worker over a {@link WorkerBridge}. The worker is started lazily on the first call; if it dies
 * or sends what cannot be read, every pending request is rejected with `worker-crashed` and the
 * next call starts a fresh one. Aborting a load terminates the worker and rejects with an
 * `AbortError`; a stopped chat resolves with `finishReason: 'aborted'`, as in the worker. A worker
 * that dies, or reports its engine `lost` (GPU device lost), is replaced and `onLost` is told,
 * even when no request was pending: the model it held is gone.
 */
import { abortError, EngineError } from './errors';
import { stoppedBeforeStart } from './stopped-stats';
import { assertNever } from '../shared/assert-never';
import { WorkerBridge, type Addressed, type Heard, type WorkerLike, type WorkerLoss } from '../shared/worker-bridge';
import type { EngineEvent, EngineRequest } from './engine-protocol';
import type {
  ChatMessage,
  ChatRequest,
  CompletionStats,
  Engine,
  EngineTool,
  EngineToolCall,
  LoadedModelInfo,
  LoadOptions,
  LoadProgress,
  EngineCache,
  ModelSource,
  StreamCallbacks,
} from './types';

/** What the bridge remembers of each request: how to settle it, and where its stream goes. */
type Pending =
  | {
      kind: 'load';
      resolve: (info: LoadedModelInfo) => void;
      reject: (error: Error) => void;
      onProgress: (progress: LoadProgress) => void;
    }
  | {
      kind: 'chat';
      resolve: (stats: CompletionStats) => void;
      reject: (error: Error) => void;
      onToken: (text: string) => void;
      onThinking: (text: string) => void;
      onToolCallStart: (name: string) => void;
      onToolCalls: (calls: EngineToolCall[]) => void;
    }
  | { kind: 'unload'; resolve: () => void; reject: (error: Error) => void }
  | { kind: 'cache-delete'; resolve: () => void; reject: (error: Error) => void }
  // Embeddings for documents retrieval.
  | { kind: 'embed'; resolve: (vector: number[]) => void; reject: (error: Error) => void }
  | { kind: 'prepare'; resolve: () => void; reject: (error: Error) => void };

export interface WorkerEngineOptions {
  /** The worker died or its engine was lost: whatever it had loaded is gone. */
  onLost?: (error: EngineError) => void;
}

const lostError = (loss: WorkerLoss) =>
  new EngineError(
    'worker-crashed',
    loss.kind === 'crashed'
      ? `The engine stopped unexpectedly: ${loss.detail}`
      : 'The engine sent a message that could not be read.',
  );

export class WorkerEngine implements Engine, EngineCache {
  readonly #bridge: WorkerBridge<EngineRequest, EngineEvent, Pending, EngineError>;

  constructor(createWorker: () => WorkerLike, options: WorkerEngineOptions = {}) {
    this.#bridge = new WorkerBridge<EngineRequest, EngineEvent, Pending, EngineError>(createWorker, {
      receive: receiveEngineEvent,
      // The one message a worker sends unasked: its engine can no longer run (`lost`).
      unasked: (event) => this.#bridge.lose(EngineError.fromRecord(event.error)),
      lostError,
      onLost: options.onLost,
    });
  }

  load(
    source: ModelSource,
    options: LoadOptions,
    onProgress: (progress: LoadProgress) => void,
    signal?: AbortSignal,
  ): Promise<LoadedModelInfo> {
    return new Promise((resolve, reject) => {
      this.#bridge.call(
        { kind: 'load', source, options },
        { kind: 'load', resolve, reject, onProgress },
        // No library can interrupt a half-initialised wasm module: the worker goes with the load.
        { signal, onAbort: { terminate: () => abortError('Loading was cancelled.') } },
      );
    });
  }

  chat(request: ChatRequest, callbacks: StreamCallbacks, signal?: AbortSignal): Promise<CompletionStats> {
    // Stopped before it started: a reply with nothing in it, as a Stop later would give.
    if (signal?.aborted) return Promise.resolve(stoppedBeforeStart());
    return new Promise((resolve, reject) => {
      this.#bridge.call(
        { kind: 'chat', request },
        {
          kind: 'chat',
          resolve,
          reject,
          onToken: (text) => callbacks.onToken(text),
          onThinking: (text) => callbacks.onThinking?.(text),
          onToolCallStart: (name) => callbacks.onToolCallStart?.(name),
          onToolCalls: (calls) => callbacks.onToolCalls?.(calls),
        },
        // The worker stops the reply and answers with what streamed so far.
        { signal, onAbort: { tell: (id) => ({ kind: 'abort', id }) } },
      );
    });
  }

  unload(): Promise<void> {
    if (!this.#bridge.running) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.#bridge.call({ kind: 'unload' }, { kind: 'unload', resolve, reject });
    });
  }

  deleteCached(source: ModelSource): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#bridge.call({ kind: 'cache-delete', source }, { kind: 'cache-delete', resolve, reject });
    });
  }

  /** Embeddings for documents retrieval. */
  embed(text: string): Promise<number[]> {
    return new Promise((resolve, reject) => {
      this.#bridge.call({ kind: 'embed', text }, { kind: 'embed', resolve, reject });
    });
  }

  /** Never rejects: a worker lost meanwhile is told by the next call that needs it. */
  prepare(messages: ChatMessage[], tools?: EngineTool[]): Promise<void> {
    return new Promise<void>((resolve) => {
      const request = { kind: 'prepare' as const, messages, ...(tools ? { tools } : {}) };
      this.#bridge.call(request, { kind: 'prepare', resolve, reject: () => resolve() });
    });
  }

  dispose(): void {
    this.#bridge.terminate(abortError('The engine was shut down.'));
  }

  /** Test hook and hard stop: kills the worker as a crash would. Nothing happens without one. */
  terminateWorker(): void {
    if (this.#bridge.running) this.#bridge.lose(new EngineError('worker-crashed', 'The engine stopped unexpectedly.'));
  }
}

/** Settles a request with its reply; a reply of the wrong kind fails it rather than leave it waiting. */
function receiveEngineEvent(event: Addressed<EngineEvent>, pending: Pending): Heard {
  switch (event.kind) {
    case 'load-progress':
      if (pending.kind !== 'load') return mismatch(pending, event);
      pending.onProgress(event.progress);
      return 'open';
    case 'token':
      if (pending.kind !== 'chat') return mismatch(pending, event);
      pending.onToken(event.text);
      return 'open';
    case 'thinking':
      if (pending.kind !== 'chat') return mismatch(pending, event);
      pending.onThinking(event.text);
      return 'open';
    case 'tool-call-start':
      if (pending.kind !== 'chat') return mismatch(pending, event);
      pending.onToolCallStart(event.name);
      return 'open';
    case 'tool-calls':
      if (pending.kind !== 'chat') return mismatch(pending, event);
      pending.onToolCalls(event.calls);
      return 'open';
    case 'loaded':
      if (pending.kind !== 'load') return mismatch(pending, event);
      pending.resolve(event.info);
      return 'settled';
    case 'chat-done':
      if (pending.kind !== 'chat') return mismatch(pending, event);
      pending.resolve(event.stats);
      return 'settled';
    case 'unloaded':
      if (pending.kind !== 'unload') return mismatch(pending, event);
      pending.resolve();
      return 'settled';
    case 'cache-deleted':
      if (pending.kind !== 'cache-delete') return mismatch(pending, event);
      pending.resolve();
      return 'settled';
    case 'embedded':
      if (pending.kind !== 'embed') return mismatch(pending, event);
      pending.resolve(event.vector);
      return 'settled';
    case 'prepared':
      if (pending.kind !== 'prepare') return mismatch(pending, event);
      pending.resolve();
      return 'settled';
    case 'failed':
      pending.reject(EngineError.fromRecord(event.error));
      return 'settled';
    default:
      return assertNever(event);
  }
}

function mismatch(pending: Pending, event: EngineEvent): Heard {
  pending.reject(
    new EngineError('inference-failed', `The engine answered a ${pending.kind} request with ${event.kind}.`),
  );
  return 'settled';
}
