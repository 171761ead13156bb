/**
 * One {@link Engine} for the page over one engine per backend. The backend is chosen by the
 * model's source (a property of the model record), never by the UI. Only one model is loaded at
 * a time: loading on another backend disposes the previous backend's engine (and its worker),
 * so two multi-gigabyte models never sit in memory together.
 */
import { EngineError } from './errors';
import type {
  BackendKind,
  ChatMessage,
  EngineTool,
  ChatRequest,
  CompletionStats,
  Engine,
  EngineCache,
  LoadedModelInfo,
  LoadOptions,
  LoadProgress,
  ModelSource,
  StreamCallbacks,
} from './types';

export type BackendEngine = Engine & EngineCache;

export class BackendRouter implements Engine, EngineCache {
  readonly #create: Record<BackendKind, () => BackendEngine>;
  readonly #engines = new Map<BackendKind, BackendEngine>();
  #active: BackendKind | undefined;

  constructor(create: Record<BackendKind, () => BackendEngine>) {
    this.#create = create;
  }

  /** The engine of one backend, created on first use. */
  engineFor(backend: BackendKind): BackendEngine {
    let engine = this.#engines.get(backend);
    if (!engine) {
      engine = this.#create[backend]();
      this.#engines.set(backend, engine);
    }
    return engine;
  }

  load(
    source: ModelSource,
    options: LoadOptions,
    onProgress: (progress: LoadProgress) => void,
    signal?: AbortSignal,
  ): Promise<LoadedModelInfo> {
    if (this.#active && this.#active !== source.backend) {
      this.#engines.get(this.#active)?.dispose();
      this.#engines.delete(this.#active);
    }
    this.#active = source.backend;
    return this.engineFor(source.backend).load(source, options, onProgress, signal);
  }

  chat(request: ChatRequest, callbacks: StreamCallbacks, signal?: AbortSignal): Promise<CompletionStats> {
    const engine = this.#active && this.#engines.get(this.#active);
    if (!engine) return Promise.reject(new EngineError('not-loaded', 'No model is loaded.'));
    return engine.chat(request, callbacks, signal);
  }

  /** Embeddings from the loaded model, where its backend gives them (issue 14). */
  embed(text: string): Promise<number[]> {
    const engine = this.#active && this.#engines.get(this.#active);
    if (!engine) return Promise.reject(new EngineError('not-loaded', 'No model is loaded.'));
    if (!engine.embed)
      return Promise.reject(new EngineError('inference-failed', 'This model does not give embeddings.'));
    return engine.embed(text);
  }

  /** The loaded backend reads the next reply's prompt start ahead, where it can. Never rejects. */
  prepare(messages: ChatMessage[], tools?: EngineTool[]): Promise<void> {
    const engine = this.#active && this.#engines.get(this.#active);
    return (engine && engine.prepare?.(messages, tools)) ?? Promise.resolve();
  }

  async unload(): Promise<void> {
    const engine = this.#active && this.#engines.get(this.#active);
    await engine?.unload();
  }

  deleteCached(source: ModelSource): Promise<void> {
    return this.engineFor(source.backend).deleteCached(source);
  }

  dispose(): void {
    for (const engine of this.#engines.values()) engine.dispose();
    this.#engines.clear();
    this.#active = undefined;
  }
}
