/**
 * The engine the page talks to and the model loaded in it. When the engine is lost (its worker
 * died, its GPU device was lost) the model is gone with it: `fault` says what happened and holds
 * the way to load it again. That is the one crash path: the worker proxy reports every loss
 * through `onLost`, whichever call was running.
 *
 * Nothing outside writes this store: other stores read the getters and call the intents. A new
 * backend plugs in below it, in lib/engine/page-engines (one worker per BackendKind).
 */
import { ENGINE_WORKERS, PageEngines, type EngineWorkers } from '../../lib/engine/page-engines';
import { warmCompatBuild, wllamaWasmUrl } from '../../lib/engine/wllama-compat';
import { CodeWarmUp } from '../../lib/engine/code-warm-up';
import { LoadMarker, type LoadRecord } from '../../lib/engine/load-marker';
import { WorkerEngine } from '../../lib/engine/engine-client';
import { loadWarmedCode, saveWarmedCode } from '../../lib/models/settings';
import { EngineError, isAbortError, toEngineError } from '../../lib/engine/errors';
import { faultOf, type EngineFault } from '../../lib/engine/fault';
import type {
  BackendKind,
  ChatMessage,
  EngineTool,
  ChatRequest,
  CompletionStats,
  LoadedModelInfo,
  LoadProgress,
  ModelSource,
  StreamCallbacks,
} from '../../lib/engine/types';
import { sourceOf } from '../../lib/models/source';
import type { StoredModel } from '../../lib/models/storage';
import { MAX_CONTEXT_TOKENS } from '../../lib/chat/defaults';
import type { DeviceState } from './device.svelte';

export interface LoadSourceOptions {
  /** The model's training context; the engine allocates at most this (and at most our cap). */
  contextLength?: number | undefined;
  onProgress?: (progress: LoadProgress) => void;
  /** What to call the model, e.g. in the offer to load it again after a crash. */
  name?: string;
  /** How to load it again should the engine be lost. */
  retry?: () => Promise<unknown>;
}

export interface EngineStateOptions {
  /** How each backend's worker starts (the unit tests serve a fake engine over a MessageChannel). */
  workers?: EngineWorkers;
  /** What the device offers (llama.cpp's WebGPU path only where it is faster); none: the CPU. */
  device?: Pick<DeviceState, 'ready'>;
  /** The code warm-up during a download (default: in a GGUF worker of its own; see code-warm-up). */
  warmUp?: CodeWarmUp;
  /** Marks each load while it runs, to tell a tab that died loading (default: localStorage and Web Locks). */
  marker?: LoadMarker;
}

/** A model loaded with a smaller window than asked for, and the one asked for. */
export interface SmallerWindow {
  name: string;
  contextLength: number;
  wanted: number;
}

export class EngineState {
  readonly #engines: PageEngines;
  #fault = $state.raw<EngineFault | undefined>(undefined);
  #elsewhere = $state(false);
  #loaded = $state.raw<LoadedModelInfo | undefined>(undefined);
  #loading = $state<{ modelId: string; progress: LoadProgress } | undefined>(undefined);
  #error = $state<string | undefined>(undefined);
  readonly #device: Pick<DeviceState, 'ready'> | undefined;
  /** What is loaded or loading, and how to load it again. */
  #current: { backend: BackendKind; name: string; retry: (() => Promise<unknown>) | undefined } | undefined;
  #loadController: AbortController | undefined;
  readonly #warmUp: CodeWarmUp;
  readonly #marker: LoadMarker;
  #interrupted = $state.raw<LoadRecord | undefined>(undefined);
  /** The loaded model's smaller-window notice was dismissed (until the next load). */
  #smallerWindowDismissed = $state(false);

  constructor({ workers = ENGINE_WORKERS, device, warmUp, marker = new LoadMarker() }: EngineStateOptions = {}) {
    this.#device = device;
    this.#marker = marker;
    this.#warmUp =
      warmUp ??
      new CodeWarmUp({
        createEngine: () => new WorkerEngine(workers.wllama),
        codeKey: wllamaWasmUrl,
        record: { read: loadWarmedCode, write: saveWarmedCode },
      });
    this.#engines = new PageEngines(workers, (backend, error) => this.#lost(backend, error));
  }

  /** The engine stopped under the model (see EngineFault); cleared by a load or a dismissal. */
  get fault(): EngineFault | undefined {
    return this.#fault;
  }
  /** Another tab runs the model (see TabsState); this tab's engine is released. */
  get elsewhere(): boolean {
    return this.#elsewhere;
  }
  /** The model jobs stream from: its context length, name, backend, device. */
  get loaded(): LoadedModelInfo | undefined {
    return this.#loaded;
  }
  get loading(): { modelId: string; progress: LoadProgress } | undefined {
    return this.#loading;
  }
  /** Why the last load of a stored model failed (an abort is no failure). */
  get error(): string | undefined {
    return this.#error;
  }
  /**
   * A load that never ended because its tab was gone meanwhile (see LoadMarker): most likely the
   * system ended the tab for the memory the model took. Told once, until dismissed or a load.
   */
  get interrupted(): LoadRecord | undefined {
    return this.#interrupted;
  }

  dismissInterrupted(): void {
    this.#interrupted = undefined;
  }

  /**
   * The loaded model, when it got a smaller window than asked for (the tab had no memory for the
   * larger one: see lib/engine/memory-window.ts). Told until dismissed or the next load.
   */
  get smallerWindow(): SmallerWindow | undefined {
    const loaded = this.#loaded;
    if (!loaded?.wantedContextLength || this.#smallerWindowDismissed) return undefined;
    const name = loaded.name ?? this.#current?.name ?? loaded.modelId;
    return { name, contextLength: loaded.contextLength, wanted: loaded.wantedContextLength };
  }

  dismissSmallerWindow(): void {
    this.#smallerWindowDismissed = true;
  }

  /** A message sent now first loads the lost model again (a crash; a lost GPU asks the user). */
  readonly canRecover = $derived(
    !this.#loaded && !this.#loading && this.#fault?.code === 'worker-crashed' && this.#fault.retry !== undefined,
  );
  start(): void {
    // Best effort: without it, the compat build is still fetched at the first model load.
    void warmCompatBuild().catch(() => undefined);
    void this.checkInterrupted();
    // A tab closed mid-load by the user is no tab that died loading.
    if (typeof addEventListener === 'function') addEventListener('pagehide', () => this.#marker.end());
  }

  /** Looks for a load a tab never ended because it died meanwhile (see `interrupted`). */
  async checkInterrupted(): Promise<void> {
    const interrupted = await this.#marker.takeInterrupted().catch(() => undefined);
    if (interrupted && !this.#loading && !this.#loaded) this.#interrupted = interrupted;
  }

  /**
   * A GGUF model of `bytes` started downloading: compile the engine's code meanwhile, unless a
   * model is loaded or loading here (then the code is compiled already, or being compiled).
   * Resolves with whether it ran to the end (see CodeWarmUp).
   */
  warmUpFor(bytes: number | undefined): Promise<boolean> {
    if (this.#loaded || this.#loading || this.#elsewhere) return Promise.resolve(false);
    return this.#warmUp.start(bytes);
  }

  /** Loads a stored model; resolves when loaded, failed or cancelled (see `error`). */
  async load(model: StoredModel): Promise<void> {
    try {
      await this.loadSource(sourceOf(model), {
        contextLength: model.contextLength,
        name: model.name,
        retry: () => this.load(model),
      });
    } catch (error) {
      // A lost engine is told by `fault`, with what to do next; an abort is no failure.
      if (!isAbortError(error) && !this.#fault) this.#error = toEngineError(error).message;
    }
  }

  /**
   * Loads from a source; for MLC this is also the download (web-llm fetches what it lacks).
   * Resolves with the loaded model, or throws the EngineError, or an `AbortError` when cancelled:
   * the caller says what went wrong where the user asked (see `load` and the download view).
   */
  async loadSource(source: ModelSource, options: LoadSourceOptions = {}): Promise<LoadedModelInfo> {
    if (this.#elsewhere) {
      throw new EngineError('busy', 'Nook runs the model in another tab. Press “Use here” to run it in this one.');
    }
    // The user's model comes first: a warm-up still running would only compete with it.
    this.#warmUp.stop();
    this.#loadController?.abort();
    const controller = new AbortController();
    this.#loadController = controller;
    this.#error = undefined;
    this.#fault = undefined;
    this.#interrupted = undefined;
    this.#smallerWindowDismissed = false;
    this.#current = {
      backend: source.backend,
      name: options.name ?? ('name' in source ? source.name : source.id),
      retry: options.retry,
    };
    this.#loaded = undefined;
    this.#loading = { modelId: source.id, progress: { phase: 'reading' } };
    this.#marker.begin({ modelId: source.id, name: this.#current.name });
    try {
      // The device probe runs after start-up; a load that comes first waits for it (one request).
      const [description, { ggufOnWebGpu }] = await Promise.all([
        this.#device?.ready().catch(() => undefined),
        import('../../lib/models/fit'),
      ]);
      const info = await this.#engines.router.load(
        source,
        {
          // llama.cpp's WebGPU path only where it is faster than its CPU code (fit.ts says when).
          preferWebGpu: description !== undefined && ggufOnWebGpu(description),
          contextLength: Math.min(options.contextLength ?? MAX_CONTEXT_TOKENS, MAX_CONTEXT_TOKENS),
        },
        (progress) => {
          if (this.#loading?.modelId === source.id) this.#loading.progress = progress;
          options.onProgress?.(progress);
        },
        controller.signal,
      );
      this.#loaded = info;
      return info;
    } catch (error) {
      throw isAbortError(error) ? error : toEngineError(error);
    } finally {
      if (this.#loadController === controller) {
        this.#loading = undefined;
        this.#loadController = undefined;
        this.#marker.end();
      }
    }
  }

  /** Streams a reply from the loaded model. Jobs and stores call this, never the router itself. */
  chat(request: ChatRequest, callbacks: StreamCallbacks, signal?: AbortSignal): Promise<CompletionStats> {
    return this.#engines.router.chat(request, callbacks, signal);
  }

  /** A text's embedding from the loaded model, where `loaded.canEmbed` (documents retrieval). */
  embed(text: string): Promise<number[]> {
    return this.#engines.router.embed(text);
  }

  /** The loaded model reads the next reply's prompt start ahead (see `Engine.prepare`). */
  prepare(messages: ChatMessage[], tools?: EngineTool[]): Promise<void> {
    return this.#engines.router.prepare(messages, tools);
  }

  cancelLoad(): void {
    this.#loadController?.abort();
  }

  /** Deletes the files an engine cached for itself (web-llm's shards, config and library). */
  deleteCached(model: StoredModel): Promise<void> {
    return this.#engines.router.deleteCached(sourceOf(model));
  }

  /** Loads the model the engine lost again; resolves with whether it is loaded. */
  async recover(): Promise<boolean> {
    const retry = this.#fault?.retry;
    this.#fault = undefined;
    await retry?.();
    return this.#loaded !== undefined;
  }

  dismissFault(): void {
    this.#fault = undefined;
  }

  /** TabsState: whether another tab holds the engine (a load here is refused while it does). */
  setRunsElsewhere(elsewhere: boolean): void {
    this.#elsewhere = elsewhere;
  }

  /** Another tab took the engine: free this tab's model and workers. */
  release(): void {
    this.#warmUp.stop();
    this.cancelLoad();
    // At once: the tab taking over may look for a tab that died loading before this load unwinds.
    this.#marker.end();
    this.#engines.router.dispose();
    this.#loaded = undefined;
    this.#loading = undefined;
    this.#fault = undefined;
    this.#current = undefined;
  }

  /** Test hook (exposed to the e2e suite only): kills the engine workers as a crash would. */
  killWorkersForTest(): void {
    this.#engines.killWorkers();
  }

  /** The one crash path: a worker died or its engine was lost, with whatever it held. */
  #lost(backend: BackendKind, error: EngineError): void {
    const current = this.#current;
    if (!current || current.backend !== backend) return; // nothing of the user's was running there
    this.#loaded = undefined;
    this.#fault = faultOf(error, current);
  }
}
