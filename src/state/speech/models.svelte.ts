/**
 * The speech-to-text models on this device: listed, downloaded from the model host (or the
 * mirror), deleted. One download at a time, with progress and Cancel.
 */
import { SPEECH_CATALOG, type SpeechModelEntry } from '../../lib/speech/catalog';
import { downloadSpeechModel, SpeechDownloadError, type SpeechDownloadProgress } from '../../lib/speech/download';
import {
  deleteSpeechModel,
  discardSpeechFiles,
  listSpeechModels,
  putSpeechFile,
  saveSpeechModel,
  type StoredSpeechModel,
} from '../../lib/speech/storage';
import { SpeechError } from '../../lib/speech/errors';
import { loadMirror } from '../../lib/models/settings';
import { AskFirstState } from '../models/ask-first.svelte';

export class SpeechModelsState {
  #models = $state.raw<StoredSpeechModel[]>([]);
  #downloading = $state<{ entry: SpeechModelEntry; progress: SpeechDownloadProgress | undefined } | undefined>();
  #error = $state<string | undefined>();
  #ready = $state(false);
  #controller: AbortController | undefined;
  readonly catalog = SPEECH_CATALOG;
  /** Asks before a download on Data Saver or mobile data. */
  readonly askFirst = new AskFirstState();
  /** Called after a model was deleted, so the worker lets go of it. */
  onDeleted: ((id: string) => void) | undefined;
  /**
   * Called once a model's files are stored, before it is listed: loads it in the speech worker,
   * which proves it runs and has the service worker keep onnxruntime's wasm for offline use.
   */
  onDownloaded: ((id: string) => Promise<void>) | undefined;

  get models(): StoredSpeechModel[] {
    return this.#models;
  }
  get ready(): boolean {
    return this.#ready;
  }
  get downloading() {
    return this.#downloading;
  }
  /** Downloading, or waiting for the user's word on one. */
  get busy(): boolean {
    return this.#downloading !== undefined || this.askFirst.question !== undefined;
  }
  get error(): string | undefined {
    return this.#error;
  }
  /** The model dictation uses: the newest one stored. */
  get active(): StoredSpeechModel | undefined {
    return this.#models[0];
  }

  async start(): Promise<void> {
    await this.refresh();
  }

  async refresh(): Promise<void> {
    this.#models = await listSpeechModels();
    this.#ready = true;
  }

  async download(entry: SpeechModelEntry): Promise<void> {
    if (this.busy) return;
    this.#error = undefined;
    const agreed = this.askFirst.agreed(entry.name, entry.approxMB * 1e6);
    if (agreed !== true && !(await agreed)) return;
    this.#controller = new AbortController();
    this.#downloading = { entry, progress: undefined };
    try {
      const record = await downloadSpeechModel({
        entry,
        mirror: await loadMirror(),
        signal: this.#controller.signal,
        sink: { putFile: putSpeechFile, discard: discardSpeechFiles, saveRecord: saveSpeechModel },
        onProgress: (progress) => {
          if (this.#downloading) this.#downloading = { entry, progress };
        },
      });
      try {
        await this.onDownloaded?.(record.id);
      } catch (error) {
        await deleteSpeechModel(record.id);
        throw error;
      }
      await this.refresh();
    } catch (error) {
      if (!this.#controller.signal.aborted) {
        this.#error =
          error instanceof SpeechDownloadError || error instanceof SpeechError
            ? error.message
            : `The speech model could not be stored: ${error instanceof Error ? error.message : String(error)}`;
      }
    } finally {
      this.#downloading = undefined;
    }
  }

  cancel(): void {
    this.#controller?.abort();
  }

  async delete(id: string): Promise<void> {
    await deleteSpeechModel(id);
    this.onDeleted?.(id);
    await this.refresh();
  }
}
