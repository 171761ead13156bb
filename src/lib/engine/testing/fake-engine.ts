/**
 * The fake engine of the unit tests (the e2e suite always runs the real ones): an in-process
 * {@link Engine} with no model that streams the words of the last message back, one per token,
 * served over a real MessageChannel as a worker would be. (The summarizer's tests use their own
 * FakeEngine, which also counts tokens the way llama.cpp does.)
 */
import { EngineError } from '../errors';
import { serveEngine } from '../serve';
import type {
  ChatRequest,
  CompletionStats,
  Engine,
  LoadedModelInfo,
  LoadOptions,
  LoadProgress,
  ModelSource,
  StreamCallbacks,
} from '../types';
import { WorkerEngine } from '../worker-engine';

/** A fake engine (no model): streams the words of the last message back, one per token. */
export class FakeEchoEngine implements Engine {
  loads = 0;
  async load(source: ModelSource, _options: LoadOptions, onProgress: (p: LoadProgress) => void) {
    this.loads++;
    if (source.id === 'missing') throw new EngineError('model-not-found', 'No such model.');
    onProgress({ phase: 'reading' });
    onProgress({ phase: 'ready', fraction: 1 });
    const info: LoadedModelInfo = {
      modelId: source.id,
      backend: 'wllama',
      device: 'cpu',
      threads: 1,
      contextLength: 256,
      loadLog: [],
    };
    return info;
  }
  async chat(request: ChatRequest, callbacks: StreamCallbacks, signal?: AbortSignal): Promise<CompletionStats> {
    const words = request.messages.at(-1)!.content.split(' ');
    let sent = 0;
    for (const word of words) {
      if (signal?.aborted) break;
      callbacks.onToken(word);
      sent++;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    return {
      promptTokens: 1,
      completionTokens: sent,
      timeToFirstTokenMs: 0,
      tokensPerSecond: 0,
      finishReason: signal?.aborted ? 'aborted' : 'stop',
    };
  }
  async unload() {}
  dispose() {}
}

/** Joins a WorkerEngine to serveEngine over a MessageChannel, standing in for a real Worker. */
export function connect(engine: Engine) {
  const created: MessagePort[] = [];
  const proxy = new WorkerEngine(fakeWorker(engine, created));
  return { proxy, created };
}

/** A `() => Worker` whose worker is `engine` served over a MessageChannel (see `connect`). */
export function fakeWorker(engine: Engine, created: MessagePort[] = []): () => Worker {
  return () => {
    const { port1, port2 } = new MessageChannel();
    serveEngine(port2, engine);
    port2.start();
    port1.start();
    created.push(port1);
    const worker = Object.assign(port1, { terminate: () => port1.close() });
    return worker as unknown as Worker;
  };
}
