/** The engine the page talks to, the model loaded in it, and what the device offers. */
import { BackendRouter } from '../lib/engine/backend-router';
import { warmCompatBuild } from '../lib/engine/wllama-compat';
import { isAbortError, toEngineError, type EngineError } from '../lib/engine/errors';
import type { LoadedModelInfo, LoadProgress, ModelSource } from '../lib/engine/types';
import { WorkerEngine } from '../lib/engine/worker-engine';
import type { DeviceDescription } from '../lib/models/fit';
import type { StoredModel } from '../lib/models/storage';
import { MAX_CONTEXT_TOKENS } from '../lib/chat/defaults';

export interface WebGpuSupport {
  adapter: boolean;
  shaderF16: boolean;
}

/** What the device offers for running models: the WebGPU adapter's features and limits, memory. */
async function probeDevice(): Promise<DeviceDescription> {
  const deviceMemoryGB = (navigator as Navigator & { deviceMemory?: number }).deviceMemory;
  // `navigator.gpu` is missing without WebGPU (and on insecure origins), whatever the types say.
  const gpu = (navigator as Partial<Pick<Navigator, 'gpu'>>).gpu;
  let adapter: GPUAdapter | null = null;
  try {
    adapter = (await gpu?.requestAdapter()) ?? null;
  } catch (error) {
    console.warn('WebGPU adapter request failed', error);
  }
  return {
    deviceMemoryGB,
    webGpu: adapter
      ? {
          shaderF16: adapter.features.has('shader-f16'),
          maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
          maxBufferSize: adapter.limits.maxBufferSize,
          architecture: adapter.info?.architecture,
          vendor: adapter.info?.vendor,
        }
      : undefined,
  };
}

/** Vite bundles each worker from this exact `new Worker(new URL(…, import.meta.url))` form. */
const createGgufWorker = () =>
  new Worker(new URL('../lib/engine/gguf.worker.ts', import.meta.url), { type: 'module', name: 'nook-gguf-engine' });
const createMlcWorker = () =>
  new Worker(new URL('../lib/engine/mlc.worker.ts', import.meta.url), { type: 'module', name: 'nook-mlc-engine' });

/** How to load a stored model: its record decides the backend. */
export function sourceOf(model: StoredModel): ModelSource {
  return model.backend === 'wllama'
    ? { backend: 'wllama', id: model.id }
    : {
        backend: 'web-llm',
        id: model.id,
        name: model.name,
        modelUrl: model.sourceUrl,
        modelLibUrl: model.modelLibUrl,
        ...(model.vramRequiredMB === undefined ? {} : { vramRequiredMB: model.vramRequiredMB }),
      };
}

export class EngineState {
  readonly engine = new BackendRouter({
    wllama: () => new WorkerEngine(createGgufWorker),
    'web-llm': () => new WorkerEngine(createMlcWorker),
  });
  loaded = $state.raw<LoadedModelInfo | undefined>(undefined);
  loading = $state<{ modelId: string; progress: LoadProgress } | undefined>(undefined);
  error = $state<string | undefined>(undefined);
  device = $state.raw<DeviceDescription | undefined>(undefined);
  /** What DeviceInfo shows; derived from the probe. */
  readonly webGpu = $derived<WebGpuSupport | undefined>(
    this.device && { adapter: this.device.webGpu !== undefined, shaderF16: this.device.webGpu?.shaderF16 ?? false },
  );
  #loadController: AbortController | undefined;

  async start(): Promise<void> {
    // Best effort: without it, the compat build is still fetched at the first model load.
    void warmCompatBuild().catch(() => undefined);
    this.device = await probeDevice();
  }

  /** Loads a stored model; resolves when loaded, failed or cancelled (see `error`). */
  async load(model: StoredModel): Promise<void> {
    // Failures are in `error` (an abort is no failure); callers only wait.
    await this.loadSource(sourceOf(model), model.contextLength).catch(() => undefined);
  }

  /**
   * Loads from a source; for MLC this is also the download (web-llm fetches what it lacks).
   * Resolves with the loaded model, or throws the EngineError (an abort included) after setting
   * `error` for anything but an abort.
   */
  async loadSource(
    source: ModelSource,
    modelContext: number | undefined,
    onProgress?: (progress: LoadProgress) => void,
  ): Promise<LoadedModelInfo> {
    this.#loadController?.abort();
    const controller = new AbortController();
    this.#loadController = controller;
    this.error = undefined;
    this.loaded = undefined;
    this.loading = { modelId: source.id, progress: { phase: 'reading' } };
    try {
      const info = await this.engine.load(
        source,
        {
          preferWebGpu: this.device?.webGpu !== undefined,
          contextLength: Math.min(modelContext ?? MAX_CONTEXT_TOKENS, MAX_CONTEXT_TOKENS),
        },
        (progress) => {
          if (this.loading?.modelId === source.id) this.loading.progress = progress;
          onProgress?.(progress);
        },
        controller.signal,
      );
      this.loaded = info;
      return info;
    } catch (error) {
      const engineError = toEngineError(error);
      if (!isAbortError(engineError)) this.error = engineError.message;
      throw engineError;
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
    if (error.code === 'worker-crashed' || error.code === 'device-lost') this.loaded = undefined;
  }
}
