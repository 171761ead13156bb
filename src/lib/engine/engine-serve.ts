/**
 * Worker side of the engine protocol: runs any {@link Engine} and answers {@link EngineRequest}s.
 * The worker entry files only choose the engine; everything about messages lives here.
 */
import { assertNever } from '../shared/assert-never';
import type { ServePort } from '../shared/worker-bridge';
import type { EngineEvent, EngineRequest } from './engine-protocol';
import { EngineError, toEngineError } from './errors';
import { TokenBatcher } from './token-batch';
import type { Engine, EngineCache, EngineToolCall } from './types';

/** Tells the page the engine can no longer run (e.g. its GPU device was lost). */
export type ReportLost = (error: EngineError) => void;

/**
 * `cache` answers cache queries for engines that download for themselves (web-llm). Returns the
 * way to report the engine lost: the page then ends every request and starts a fresh worker.
 */
export function serveEngine(
  port: ServePort<EngineRequest, EngineEvent>,
  engine: Engine,
  cache?: EngineCache,
): ReportLost {
  const running = new Map<number, AbortController>();

  // Engines resolve a stopped reply (`finishReason: 'aborted'`) and loads are cancelled on the
  // page side, so what is reported failed here is a failure.
  const fail = (id: number, error: unknown) =>
    port.postMessage({ kind: 'failed', id, error: toEngineError(error).toRecord() });

  port.addEventListener('message', ({ data: request }) => {
    switch (request.kind) {
      case 'load': {
        const { id } = request;
        engine
          .load(request.source, request.options, (progress) =>
            port.postMessage({ kind: 'load-progress', id, progress }),
          )
          .then((info) => port.postMessage({ kind: 'loaded', id, info }))
          .catch((error: unknown) => fail(id, error));
        break;
      }
      case 'chat': {
        const { id } = request;
        const controller = new AbortController();
        running.set(id, controller);
        // Tokens go out in batches (TOKEN_BATCH_MS); what is held is sent before the end is reported.
        // Thinking has its own batch, sent before the answer's first piece, so the order holds.
        const thinking = new TokenBatcher((text) => port.postMessage({ kind: 'thinking', id, text }));
        const answer = new TokenBatcher((text) => port.postMessage({ kind: 'token', id, text }));
        const flush = () => (thinking.flush(), answer.flush());
        const callbacks = {
          onThinking: (text: string) => thinking.push(text),
          onToken: (text: string) => (thinking.flush(), answer.push(text)),
          onToolCallStart: (name: string) => (flush(), port.postMessage({ kind: 'tool-call-start', id, name })),
          onToolCalls: (calls: EngineToolCall[]) => (flush(), port.postMessage({ kind: 'tool-calls', id, calls })),
        };
        engine
          .chat(request.request, callbacks, controller.signal)
          .then((stats) => {
            flush();
            port.postMessage({ kind: 'chat-done', id, stats });
          })
          .catch((error: unknown) => {
            flush();
            fail(id, error);
          })
          .finally(() => running.delete(id));
        break;
      }
      case 'abort':
        running.get(request.id)?.abort();
        break;
      case 'unload': {
        const { id } = request;
        engine
          .unload()
          .then(() => port.postMessage({ kind: 'unloaded', id }))
          .catch((error: unknown) => fail(id, error));
        break;
      }
      case 'cache-delete': {
        const { id } = request;
        (cache ? cache.deleteCached(request.source) : Promise.resolve())
          .then(() => port.postMessage({ kind: 'cache-deleted', id }))
          .catch((error: unknown) => fail(id, error));
        break;
      }
      // Embeddings for documents retrieval.
      case 'embed': {
        const { id } = request;
        (engine.embed
          ? engine.embed(request.text)
          : Promise.reject(new EngineError('inference-failed', 'This model does not give embeddings.'))
        )
          .then((vector) => port.postMessage({ kind: 'embedded', id, vector }))
          .catch((error: unknown) => fail(id, error));
        break;
      }
      case 'prepare': {
        const { id } = request;
        // Answered whatever happens: a read ahead is never the page's failure to handle.
        const answer = () => port.postMessage({ kind: 'prepared', id });
        void (engine.prepare?.(request.messages, request.tools) ?? Promise.resolve()).then(answer, answer);
        break;
      }
      default:
        assertNever(request);
    }
  });

  return (error) => {
    for (const controller of running.values()) controller.abort();
    port.postMessage({ kind: 'lost', error: error.toRecord() });
  };
}
