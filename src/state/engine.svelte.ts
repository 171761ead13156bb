/**
 * The engine the page talks to, the model loaded in it, and what the device offers. When the
 * engine is lost (its worker died, its GPU device was lost) the model is gone with it: `fault`
 * says what happened and holds the way to load it again.
 */
import { BackendRouter } from '../lib/engine/backend-router';
import { warmCompatBuild } from '../lib/engine/wllama-compat';
import { EngineError, isAbortError, toEngineError } from '../lib/engine/errors';
import type {
  BackendKind,
  ChatRequest,
  CompletionStats,
  LoadedModelInfo,
  LoadProgress,
  ModelSource,
  StreamCallbacks,
} from '../lib/engine/types';
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

/** The engine stopped under a loaded (or loading) model. */
export interface EngineFault {
  code: 'worker-crashed' | 'device-lost';
  message: string;
  backend: BackendKind;
  /** Name of the model that was lost, for the offer to load it again. */
  modelName: string;
  /** Loads the same model again, the way it was loaded (a fresh worker starts). */
  retry: (() => Promise<unknown>) | undefined;
}

export class EngineState {
  readonly #workers: Partial<Record<BackendKind, WorkerEngine>> = {};
  readonly engine = new BackendRouter({
    wllama: () => this.#worker('wllama', createGgufWorker),
    'web-llm': () => this.#worker('web-llm', createMlcWorker),
  });
  fault = $state.raw<EngineFault | undefined>(undefined);
  /** Another tab runs the model (see TabState); this tab's engine is released. */
  elsewhere = $state(false);
  /** What is loaded or loading, and how to load it again. */
  #current: { backend: BackendKind; name: string; retry: (() => Promise<unknown>) | undefined } | undefined;
  loaded = $state.raw<LoadedModelInfo | undefined>(undefined);
  loading = $state<{ modelId: string; progress: LoadProgress } | undefined>(undefined);
  error = $state<string | undefined>(undefined);
  device = $state.raw<DeviceDescription | undefined>(undefined);
  /** A message sent now first loads the lost model again (a crash; a lost GPU asks the user). */
  readonly canRecover = $derived(
    !this.loaded && !this.loading && this.fault?.code === 'worker-crashed' && this.fault.retry !== undefined,
  );
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
    await this.loadSource(sourceOf(model), model.contextLength, undefined, {
      name: model.name,
      retry: () => this.load(model),
    }).catch(() => undefined);
  }

  /** Loads the model the engine lost again; resolves with whether it is loaded. */
  async recover(): Promise<boolean> {
    const retry = this.fault?.retry;
    this.fault = undefined;
    await retry?.();
    return this.loaded !== undefined;
  }

  dismissFault(): void {
    this.fault = undefined;
  }

  /** Another tab took the engine: free this tab's model and workers. */
  release(): void {
    this.cancelLoad();
    this.engine.dispose();
    this.loaded = undefined;
    this.loading = undefined;
    this.fault = undefined;
    this.#current = undefined;
  }

  /** Test hook (exposed to the e2e suite only): kills the engine workers as a crash would. */
  killWorkersForTest(): void {
    for (const worker of Object.values(this.#workers)) worker.terminateWorker();
  }

  #worker(backend: BackendKind, create: () => Worker): WorkerEngine {
    const worker = new WorkerEngine(create, { onLost: (error) => this.#lost(backend, error) });
    this.#workers[backend] = worker;
    return worker;
  }

  #lost(backend: BackendKind, error: EngineError): void {
    const current = this.#current;
    if (!current || current.backend !== backend) return; // nothing of the user's was running there
    this.loaded = undefined;
    const lostGpu = error.code === 'device-lost';
    this.fault = {
      code: lostGpu ? 'device-lost' : 'worker-crashed',
      message: lostGpu
        ? `${error.message} ${current.name} was unloaded; what it wrote so far is kept. Load it again, or use a GGUF model on the CPU.`
        : `The engine stopped unexpectedly, and ${current.name} was unloaded. What it wrote so far is kept; your next message loads the model again.`,
      backend,
      modelName: current.name,
      retry: current.retry,
    };
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
    /** What to call the model, and how to load it again should the engine be lost. */
    intent?: { name: string; retry: () => Promise<unknown> },
  ): Promise<LoadedModelInfo> {
    if (this.elsewhere) {
      this.error = 'Nook runs the model in another tab. Press “Use here” to run it in this one.';
      throw new EngineError('busy', this.error);
    }
    this.#loadController?.abort();
    const controller = new AbortController();
    this.#loadController = controller;
    this.error = undefined;
    this.fault = undefined;
    this.#current = {
      backend: source.backend,
      name: intent?.name ?? ('name' in source ? source.name : source.id),
      retry: intent?.retry,
    };
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
      // A lost engine is told by `fault`, with what to do next.
      if (!isAbortError(engineError) && !this.fault) this.error = engineError.message;
      throw engineError;
    } finally {
      if (this.#loadController === controller) {
        this.loading = undefined;
        this.#loadController = undefined;
      }
    }
  }

  /** Streams a reply from the loaded model. Jobs and stores call this, never the router itself. */
  chat(request: ChatRequest, callbacks: StreamCallbacks, signal?: AbortSignal): Promise<CompletionStats> {
    return this.engine.chat(request, callbacks, signal);
  }

  /** A text's embedding from the loaded model, where `loaded.canEmbed` (documents retrieval). */
  embed(text: string): Promise<number[]> {
    return this.engine.embed(text);
  }

  cancelLoad(): void {
    this.#loadController?.abort();
  }

  /** The worker died: the model is gone with it and must be loaded again. */
  noteCrash(error: EngineError): void {
    if (error.code === 'worker-crashed' || error.code === 'device-lost') this.loaded = undefined;
  }
}
