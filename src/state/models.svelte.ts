/**
 * The models on this device, the catalog as it fits this device, the one download in progress
 * (GGUF through our resumable downloader, MLC through web-llm while it loads), downloads left
 * unfinished, storage usage, and the model-source mirror. Orchestration only: the rules live in
 * lib/models.
 */
import {
  discardDownload,
  listDownloads,
  runDownload,
  startDownload,
  storedBytesOf,
  totalBytesOf,
} from '../lib/models/add-model';
import type { PendingDownload } from '../lib/models/add-model';
import {
  CATALOG,
  ggufUrl,
  mlcUrls,
  type CatalogEntry,
  type GgufCatalogEntry,
  type MlcCatalogEntry,
} from '../lib/models/catalog';
import { DownloadError, parseModelUrl } from '../lib/models/download';
import { fitModel, ggufSizeRefusal, rankCatalog, recommendDefault, variantFor, type ModelFit } from '../lib/models/fit';
import {
  growthSince,
  readStorageInfo,
  requestPersistence,
  storedBytesNow,
  type StorageInfo,
} from '../lib/models/quota';
import { RateMeter } from '../lib/models/rate';
import { loadMirror, saveMirror } from '../lib/models/settings';
import {
  deleteModel,
  getModel,
  listModels,
  MODEL_RECORD_VERSION,
  saveModel,
  type StoredModel,
} from '../lib/models/storage';
import type { LoadProgress } from '../lib/engine/types';
import { isAbortError } from '../lib/engine/errors';
import { sourceOf, type EngineState } from './engine.svelte';

export interface ActiveDownload {
  /** What is being downloaded, for the user. */
  name: string;
  url: string;
  backend: 'wllama' | 'web-llm';
  receivedBytes: number;
  totalBytes: number | undefined;
  /** 0..1 where known (web-llm reports a fraction rather than bytes). */
  fraction: number | undefined;
  bytesPerSecond: number | undefined;
  secondsLeft: number | undefined;
  /** web-llm's own words while it fetches and initialises. */
  text?: string;
}

export interface CatalogRow {
  key: string;
  entry: CatalogEntry;
  fit: ModelFit;
  recommended: boolean;
  stored: boolean;
}

const catalogKeyOf = (entry: CatalogEntry) =>
  entry.kind === 'mlc' ? `mlc:${entry.variants.f32.modelId}` : `gguf:${entry.files[0]!.path}`;

export class ModelLibrary {
  models = $state.raw<StoredModel[]>([]);
  /** Downloads not finished yet (broken off, or interrupted by a reload), resumable. */
  unfinished = $state.raw<PendingDownload[]>([]);
  download = $state<ActiveDownload | undefined>(undefined);
  error = $state<string | undefined>(undefined);
  storage = $state.raw<StorageInfo | undefined>(undefined);
  mirror = $state<string | undefined>(undefined);
  #controller: AbortController | undefined;
  readonly #engine: EngineState;

  constructor(engine: EngineState) {
    this.#engine = engine;
  }

  /** The catalog, labelled and ranked for this device (empty until the device was probed). */
  readonly catalog = $derived.by((): CatalogRow[] => {
    const device = this.#engine.device;
    if (!device) return [];
    const recommended = recommendDefault(CATALOG, device);
    // Fastest expected on this device first; what cannot run here last.
    return rankCatalog(CATALOG, device).map(({ entry, fit }) => {
      const ids = entry.kind === 'mlc' ? [fit.variant?.modelId] : [ggufUrl(entry.files[0]!, this.mirror)];
      return {
        key: catalogKeyOf(entry),
        entry,
        fit,
        recommended: entry === recommended,
        stored: this.models.some((m) => ids.includes(m.backend === 'web-llm' ? m.id : m.sourceUrl)),
      };
    });
  });

  async refresh(): Promise<void> {
    [this.models, this.unfinished] = await Promise.all([listModels(), listDownloads()]);
    void this.refreshStorage();
  }

  async start(): Promise<void> {
    this.mirror = await loadMirror();
    await this.refresh();
  }

  async refreshStorage(): Promise<void> {
    this.storage = await readStorageInfo();
  }

  async askPersistence(): Promise<void> {
    await requestPersistence();
    await this.refreshStorage();
  }

  async setMirror(input: string): Promise<boolean> {
    try {
      this.mirror = await saveMirror(input);
      this.error = undefined;
      return true;
    } catch (error) {
      this.error = error instanceof Error ? error.message : String(error);
      return false;
    }
  }

  /** Downloads a GGUF model by URL (a custom one, or a catalog file through the mirror). */
  async add(
    url: string,
    options: { name?: string; sha256?: (string | undefined)[] } = {},
  ): Promise<StoredModel | undefined> {
    if (this.download) return undefined;
    this.error = undefined;
    let pending: PendingDownload;
    try {
      pending = await startDownload(url, options);
    } catch (error) {
      this.error = describeDownloadError(error, await this.#roomLeft());
      return undefined;
    }
    return this.#run(pending);
  }

  addFromCatalog(entry: GgufCatalogEntry): Promise<StoredModel | undefined> {
    return this.add(ggufUrl(entry.files[0]!, this.mirror), {
      name: entry.name,
      sha256: entry.files.map((file) => file.sha256),
    });
  }

  resume(pending: PendingDownload): Promise<StoredModel | undefined> {
    if (this.download) return Promise.resolve(undefined);
    this.error = undefined;
    return this.#run(pending);
  }

  async discard(pending: PendingDownload): Promise<void> {
    await discardDownload(pending);
    await this.refresh();
  }

  async #run(pending: PendingDownload): Promise<StoredModel | undefined> {
    const controller = new AbortController();
    this.#controller = controller;
    const meter = new RateMeter();
    this.download = {
      name: pending.name,
      url: pending.sourceUrl,
      backend: 'wllama',
      receivedBytes: storedBytesOf(pending),
      totalBytes: totalBytesOf(pending),
      fraction: undefined,
      bytesPerSecond: undefined,
      secondsLeft: undefined,
    };
    try {
      const model = await runDownload(pending, {
        signal: controller.signal,
        refuseSize: (sizes) => ggufSizeRefusal(sizes, this.#engine.device),
        onProgress: ({ receivedBytes, totalBytes }) => {
          meter.add(receivedBytes, performance.now());
          if (!this.download) return;
          Object.assign(this.download, {
            receivedBytes,
            totalBytes,
            fraction: totalBytes ? receivedBytes / totalBytes : undefined,
            bytesPerSecond: meter.bytesPerSecond,
            secondsLeft: meter.secondsLeft(totalBytes),
          });
        },
      });
      void this.#keepStored();
      return model;
    } catch (error) {
      this.error = describeDownloadError(error, await this.#roomLeft());
      return undefined;
    } finally {
      this.download = undefined;
      this.#controller = undefined;
      await this.refresh();
    }
  }

  /** Downloads (and loads) a catalog MLC model in the variant this device can run. */
  downloadMlc(entry: MlcCatalogEntry): Promise<StoredModel | undefined> {
    const device = this.#engine.device;
    if (this.download || !device) return Promise.resolve(undefined);
    const fit = fitModel(entry, device);
    if (fit.level === 'no') {
      this.error = `${entry.name} cannot run here: ${fit.reason}`;
      return Promise.resolve(undefined);
    }
    const variant = variantFor(entry, device);
    return this.#loadMlc({
      id: variant.modelId,
      name: entry.name,
      label: `${entry.name} (${variant.precision})`,
      ...mlcUrls(variant, this.mirror),
      vramRequiredMB: variant.vramRequiredMB,
      contextWindow: entry.contextWindow,
      estimatedBytes: variant.downloadMB * 1_000_000,
    });
  }

  /** A custom MLC model: its weights' address and its compiled library's address. */
  addCustomMlc(modelUrl: string, modelLibUrl: string): Promise<StoredModel | undefined> {
    if (this.download) return Promise.resolve(undefined);
    let id: string;
    try {
      const weights = parseModelUrl(modelUrl);
      parseModelUrl(modelLibUrl);
      id =
        weights.pathname
          .replace(/\/resolve\/.*$/, '')
          .split('/')
          .filter(Boolean)
          .pop() ?? weights.host;
    } catch (error) {
      this.error = error instanceof Error ? error.message : String(error);
      return Promise.resolve(undefined);
    }
    if (!this.#engine.device?.webGpu) {
      this.error = 'MLC models need WebGPU, which this browser does not offer. Use a GGUF model instead.';
      return Promise.resolve(undefined);
    }
    return this.#loadMlc({ id, name: id, label: id, modelUrl: modelUrl.trim(), modelLibUrl: modelLibUrl.trim() });
  }

  /**
   * web-llm fetches an MLC model's shards into its IndexedDB cache while it loads it, so this is
   * a load whose progress shows in the download view. The record that lists the model as
   * available offline is written once everything is fetched and the model runs. Shards fetched
   * before a cancel or a failure stay in web-llm's cache, so a retry fetches only the rest.
   */
  async #loadMlc(model: {
    id: string;
    name: string;
    label: string;
    modelUrl: string;
    modelLibUrl: string;
    vramRequiredMB?: number;
    contextWindow?: number;
    estimatedBytes?: number;
  }): Promise<StoredModel | undefined> {
    this.error = undefined;
    const meter = new RateMeter();
    this.download = {
      name: model.label,
      url: model.modelUrl,
      backend: 'web-llm',
      receivedBytes: 0,
      totalBytes: model.estimatedBytes,
      fraction: 0,
      bytesPerSecond: undefined,
      secondsLeft: undefined,
      text: 'Starting the WebGPU engine…',
    };
    const onProgress = (progress: LoadProgress) => {
      if (!this.download) return;
      const received = progress.receivedBytes ?? (progress.fraction ?? 0) * (model.estimatedBytes ?? 0);
      meter.add(received, performance.now());
      Object.assign(this.download, {
        receivedBytes: received,
        fraction: progress.fraction,
        text: progress.text ?? this.download.text,
        bytesPerSecond: meter.bytesPerSecond,
        secondsLeft: meter.secondsLeft(model.estimatedBytes),
      });
    };
    const controller = new AbortController();
    this.#controller = controller;
    controller.signal.addEventListener('abort', () => this.#engine.cancelLoad(), { once: true });
    // web-llm does not tell what its cache holds: a custom model's size is what the storage grew by.
    const usageBefore = model.estimatedBytes === undefined ? await storedBytesNow() : undefined;
    try {
      const source = {
        backend: 'web-llm' as const,
        id: model.id,
        name: model.name,
        modelUrl: model.modelUrl,
        modelLibUrl: model.modelLibUrl,
        ...(model.vramRequiredMB === undefined ? {} : { vramRequiredMB: model.vramRequiredMB }),
      };
      await this.#engine.loadSource(source, model.contextWindow, onProgress, {
        name: model.name,
        retry: () => this.#loadMlc(model),
      });
      const record: StoredModel = {
        schemaVersion: MODEL_RECORD_VERSION,
        id: model.id,
        name: model.name,
        backend: 'web-llm',
        sourceUrl: model.modelUrl,
        modelLibUrl: model.modelLibUrl,
        vramRequiredMB: model.vramRequiredMB,
        sizeBytes: model.estimatedBytes ?? growthSince(usageBefore, await storedBytesNow()),
        contextLength: model.contextWindow,
        addedAt: Date.now(),
      };
      await saveModel(record);
      void this.#keepStored();
      return record;
    } catch (error) {
      // EngineState holds the message of a failed load; show it by the download instead.
      // A lost engine (GPU device lost) is told app-wide with its offers, not here a second time.
      if (!isAbortError(error) && !this.#engine.fault) this.error = this.#engine.error ?? String(error);
      this.#engine.error = undefined;
      return undefined;
    } finally {
      this.download = undefined;
      this.#controller = undefined;
      await this.refresh();
    }
  }

  cancelDownload(): void {
    this.#controller?.abort();
  }

  async remove(id: string): Promise<void> {
    const model = await getModel(id);
    if (model?.backend === 'web-llm') {
      // web-llm's shards, config and library, from its own IndexedDB cache (in its worker).
      await this.#engine.engine.deleteCached(sourceOf(model)).catch((error: unknown) => {
        this.error = `Could not delete the cached files of ${model.name}: ${error instanceof Error ? error.message : String(error)}`;
      });
    }
    await deleteModel(id);
    await this.refresh();
  }

  /** With a model stored, ask the browser not to evict it (it may grant this silently). */
  async #keepStored(): Promise<void> {
    if (this.storage?.persisted) return;
    await requestPersistence().catch(() => false);
    await this.refreshStorage();
  }

  async #roomLeft(): Promise<number | undefined> {
    const info = await readStorageInfo().catch(() => undefined);
    return info?.quotaBytes !== undefined && info.usageBytes !== undefined
      ? Math.max(0, info.quotaBytes - info.usageBytes)
      : undefined;
  }
}

function describeDownloadError(error: unknown, roomLeft: number | undefined): string | undefined {
  if (error instanceof DOMException && error.name === 'QuotaExceededError') {
    return describeDownloadError(new DownloadError('quota-exceeded', error.message), roomLeft);
  }
  if (!(error instanceof DownloadError)) return error instanceof Error ? error.message : String(error);
  switch (error.code) {
    case 'aborted':
      return undefined;
    case 'quota-exceeded':
      return `Not enough storage space for this model${roomLeft === undefined ? '' : ` (the browser allows ${(roomLeft / 1_000_000).toFixed(1)} MB more)`}. The partial download was removed; your other models and chats are untouched. Delete a model to make room, then try again.`;
    default:
      return error.resumable
        ? `${error.message} What arrived is kept: press Resume to go on from there.`
        : error.message;
  }
}
