/**
 * The models on this device, the catalog as it fits this device, downloads left unfinished, and
 * the model-source mirror. What to fetch is decided here (lib/models/mlc-target for MLC); the
 * fetch itself (GGUF or MLC, one road) runs in DownloadsState, and storage usage is StorageSpaceState.
 * Orchestration only: the rules live in lib/models.
 */
import type { CatalogEntry, GgufCatalogEntry, MlcCatalogEntry } from '../../lib/models/catalog';
import type { CatalogRow } from '../../lib/models/catalog-rows';
import type { MlcTarget } from '../../lib/models/fetch-model';
import type { MlcTargetChoice } from '../../lib/models/mlc-target';
import { listDownloads, storedBytesOf, type PendingDownload } from '../../lib/models/pending-downloads';
import { loadMirror, saveMirror } from '../../lib/models/settings';
import { deleteModel, getModel, readModels, type StoredModel } from '../../lib/models/storage';
import { isAbortError } from '../../lib/engine/errors';
import { DownloadsState, type ActiveDownload, type DownloadOutcome } from './downloads.svelte';
import type { DeviceState } from '../engine/device.svelte';
import type { EngineState } from '../engine/engine.svelte';
import { StorageSpaceState } from '../storage/storage-space.svelte';

export type { ActiveDownload, CatalogRow };

/** The download code (fetching, verifying, writing) loads when a download starts, not at first paint. */
const downloader = () => import('../../lib/models/fetch-model');
const adder = () => import('../../lib/models/add-model');
/** The catalog and the rules of what fits this device: for the Models view and downloads only. */
const catalogCode = () => import('../../lib/models/catalog-code');

export class ModelsState {
  #models = $state.raw<StoredModel[]>([]);
  #unfinished = $state.raw<PendingDownload[]>([]);
  #error = $state<string | undefined>(undefined);
  #mirror = $state<string | undefined>(undefined);
  #unreadable = $state(0);
  #read = $state(false);
  #catalogCode = $state.raw<Awaited<ReturnType<typeof catalogCode>> | undefined>(undefined);
  readonly #engine: EngineState;
  readonly #device: DeviceState;
  /** The one download in progress, its rate and its error. */
  readonly downloads = new DownloadsState();
  /** Usage, quota and persistence, for the Storage panel. */
  readonly space = new StorageSpaceState();

  constructor(engine: EngineState, device: DeviceState) {
    this.#engine = engine;
    this.#device = device;
  }

  get models(): StoredModel[] {
    return this.#models;
  }
  /** Downloads not finished yet (broken off, or interrupted by a reload), resumable. */
  get unfinished(): PendingDownload[] {
    return this.#unfinished;
  }
  get download(): ActiveDownload | undefined {
    return this.downloads.active;
  }
  /** A download running or waiting for the user's word: no other can start. */
  get downloading(): boolean {
    return this.downloads.busy;
  }
  /** Why the last download, mirror change or removal failed. */
  get error(): string | undefined {
    return this.#error ?? this.downloads.error;
  }
  /** Model records this version cannot read (left in storage untouched, not listed). */
  get unreadableNote(): string | undefined {
    const count = this.#unreadable;
    return count === 0
      ? undefined
      : `${count} stored model record(s) come from another version of Nook and are not listed; they are kept as they are.`;
  }
  get mirror(): string | undefined {
    return this.#mirror;
  }

  /** The catalog, labelled for this device (empty until `loadCatalog` and the device probe are done). */
  readonly catalog = $derived.by((): CatalogRow[] => {
    const device = this.#device.description;
    return device && this.#catalogCode ? this.#catalogCode.catalogRows(device, this.#models, this.#mirror) : [];
  });

  /** Why the catalog lists nothing (its file unreadable); the entries it skipped are in the console. */
  get catalogProblem(): string | undefined {
    return this.#catalogCode?.catalogProblem();
  }

  /** Loads the catalog's code and probes the device (the Models view asks; neither is part of the chat). */
  async loadCatalog(): Promise<void> {
    const [code] = await Promise.all([catalogCode(), this.#device.ready()]);
    this.#catalogCode ??= code;
  }

  async refresh(): Promise<void> {
    const [stored, unfinished] = await Promise.all([readModels(), listDownloads()]);
    this.#models = stored.models;
    this.#unfinished = unfinished;
    this.#unreadable = stored.unreadable;
    this.#read = true;
    void this.space.refresh();
  }

  /** The stored models have been read once (until then `models` is empty for want of reading). */
  get ready(): boolean {
    return this.#read;
  }

  async start(): Promise<void> {
    this.#mirror = await loadMirror();
    await this.refresh();
  }

  async setMirror(input: string): Promise<boolean> {
    try {
      this.#mirror = await saveMirror(input);
      this.#error = undefined;
      return true;
    } catch (error) {
      this.#error = error instanceof Error ? error.message : String(error);
      return false;
    }
  }

  /** Downloads a GGUF model by URL (a custom one, or a catalog file through the mirror). */
  async add(
    url: string,
    options: { name?: string; sha256?: (string | undefined)[]; estimatedBytes?: number } = {},
  ): Promise<StoredModel | undefined> {
    if (this.downloads.busy) return undefined;
    this.#error = undefined;
    let pending: PendingDownload;
    try {
      pending = await (await adder()).startDownload(url, options);
    } catch (error) {
      await this.downloads.refuse(error);
      return undefined;
    }
    return this.resume(pending, {
      estimatedBytes: options.estimatedBytes,
      // Not fetched after all (Data Saver, mobile data): no paused entry of nothing is left.
      declined: async () => {
        if (storedBytesOf(pending) === 0) await this.discard(pending);
      },
    });
  }

  /** Downloads a catalog model: a GGUF file, or an MLC model that web-llm fetches while loading. */
  getFromCatalog(entry: CatalogEntry): Promise<StoredModel | undefined> {
    return entry.kind === 'mlc' ? this.downloadMlc(entry) : this.addFromCatalog(entry);
  }

  async addFromCatalog(entry: GgufCatalogEntry): Promise<StoredModel | undefined> {
    const { ggufUrl } = await catalogCode();
    return this.add(ggufUrl(entry.files[0]!, this.#mirror), {
      name: entry.name,
      sha256: entry.files.map((file) => file.sha256),
      estimatedBytes: entry.files.reduce((sum, file) => sum + file.approxBytes, 0),
    });
  }

  async resume(pending: PendingDownload, outcome: DownloadOutcome = {}): Promise<StoredModel | undefined> {
    this.#error = undefined;
    const [device, { ggufSizeRefusal }] = await Promise.all([this.#device.ready(), catalogCode()]);
    const refuseSize = (sizes: { fileBytes: number; modelBytes: number }) => ggufSizeRefusal(sizes, device);
    const { ggufFetch } = await downloader();
    return this.#fetched(
      this.downloads.run(ggufFetch(pending, refuseSize), {
        ...outcome,
        // While the network works, the engine's code is compiled for the first load (code-warm-up).
        sized: (totalBytes) => void this.#engine.warmUpFor(totalBytes),
      }),
    );
  }

  async discard(pending: PendingDownload): Promise<void> {
    await (await adder()).discardDownload(pending);
    await this.refresh();
  }

  /** Downloads (and loads) a catalog MLC model in the variant this device can run. */
  async downloadMlc(entry: MlcCatalogEntry): Promise<StoredModel | undefined> {
    const device = this.#device.description;
    if (this.downloads.busy || !device) return undefined;
    const { catalogMlcTarget } = await catalogCode();
    return this.#chosenMlc(catalogMlcTarget(entry, device, this.#mirror));
  }

  /** A custom MLC model: its weights' address and its compiled library's address. */
  async addCustomMlc(modelUrl: string, modelLibUrl: string): Promise<StoredModel | undefined> {
    if (this.downloads.busy) return undefined;
    const [device, { customMlcTarget }] = await Promise.all([this.#device.ready(), catalogCode()]);
    return this.#chosenMlc(customMlcTarget(modelUrl, modelLibUrl, device));
  }

  cancelDownload(): void {
    this.downloads.cancel();
  }

  async remove(id: string): Promise<void> {
    const model = await getModel(id);
    if (model?.backend === 'web-llm') {
      // web-llm's shards, config and library, from its own IndexedDB cache (in its worker).
      await this.#engine.deleteCached(model).catch((error: unknown) => {
        this.#error = `Could not delete the cached files of ${model.name}: ${error instanceof Error ? error.message : String(error)}`;
      });
    }
    await deleteModel(id);
    await this.refresh();
  }

  #chosenMlc(choice: MlcTargetChoice): Promise<StoredModel | undefined> {
    if (choice.ok) return this.#fetchMlc(choice.target);
    this.#error = choice.reason;
    return Promise.resolve(undefined);
  }

  /** web-llm fetches an MLC model while it loads it: a load whose progress shows as a download. */
  async #fetchMlc(target: MlcTarget): Promise<StoredModel | undefined> {
    this.#error = undefined;
    const { mlcFetch } = await downloader();
    const fetch = mlcFetch(target, this.#engine, { retry: () => this.#fetchMlc(target) });
    // A lost engine (GPU device lost) is told app-wide with its offers, not here a second time.
    const toldElsewhere = (error: unknown) => isAbortError(error) || this.#engine.fault !== undefined;
    return this.#fetched(this.downloads.run(fetch, { toldElsewhere }));
  }

  async #fetched(done: Promise<StoredModel | undefined>): Promise<StoredModel | undefined> {
    const model = await done;
    await this.refresh();
    if (model) void this.space.keepModels();
    return model;
  }
}
