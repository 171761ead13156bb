/** The engine the page talks to, the model loaded in it, and what the device offers. */
import { EngineError, isAbortError } from '../lib/engine/errors';
import type { LoadedModelInfo, LoadProgress } from '../lib/engine/types';
import { WorkerEngine } from '../lib/engine/worker-engine';
import type { StoredModel } from '../lib/models/storage';
import { MAX_CONTEXT_TOKENS } from '../lib/chat/defaults';

export interface WebGpuSupport {
  adapter: boolean;
  shaderF16: boolean;
}

async function probeWebGpu(): Promise<WebGpuSupport> {
  const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<{ features: Set<string> } | null> } }).gpu;
  if (!gpu) return { adapter: false, shaderF16: false };
  try {
    const adapter = await gpu.requestAdapter();
    return { adapter: adapter !== null, shaderF16: adapter?.features.has('shader-f16') ?? false };
  } catch {
    return { adapter: false, shaderF16: false };
  }
}

/** Vite bundles the worker from this exact `new Worker(new URL(…, import.meta.url))` form. */
const createGgufWorker = () =>
  new Worker(new URL('../lib/engine/gguf.worker.ts', import.meta.url), { type: 'module', name: 'nook-gguf-engine' });

export class EngineState {
  readonly engine = new WorkerEngine(createGgufWorker);
  loaded = $state.raw<LoadedModelInfo | undefined>(undefined);
  loading = $state<{ modelId: string; progress: LoadProgress } | undefined>(undefined);
  error = $state<string | undefined>(undefined);
  webGpu = $state.raw<WebGpuSupport | undefined>(undefined);
  #loadController: AbortController | undefined;

  async start(): Promise<void> {
    this.webGpu = await probeWebGpu();
  }

  async load(model: StoredModel): Promise<void> {
    this.#loadController?.abort();
    const controller = new AbortController();
    this.#loadController = controller;
    this.error = undefined;
    this.loaded = undefined;
    this.loading = { modelId: model.id, progress: { phase: 'reading' } };
    try {
      this.loaded = await this.engine.load(
        { id: model.id, backend: model.backend },
        {
          preferWebGpu: this.webGpu?.adapter ?? false,
          contextLength: Math.min(model.contextLength ?? MAX_CONTEXT_TOKENS, MAX_CONTEXT_TOKENS),
        },
        (progress) => {
          if (this.loading?.modelId === model.id) this.loading.progress = progress;
        },
        controller.signal,
      );
    } catch (error) {
      if (!isAbortError(error)) this.error = error instanceof Error ? error.message : String(error);
    } finally {
      if (this.#loadController === controller) {
        this.loading = undefined;
        this.#loadController = undefined;
      }
    }
  }

  cancelLoad(): void {
    this.#loadController?.abort();
  }

  /** The worker died: the model is gone with it and must be loaded again. */
  noteCrash(error: EngineError): void {
    if (error.code === 'worker-crashed') this.loaded = undefined;
  }
}
