/** The models stored on this device and the one download in progress. */
import { addModelFromUrl } from '../lib/models/add-model';
import { DownloadError, type DownloadProgress } from '../lib/models/download';
import { deleteModel, listModels, type StoredModel } from '../lib/models/storage';

export interface ActiveDownload extends DownloadProgress {
  url: string;
}

export class ModelLibrary {
  models = $state.raw<StoredModel[]>([]);
  download = $state<ActiveDownload | undefined>(undefined);
  error = $state<string | undefined>(undefined);
  #controller: AbortController | undefined;

  async refresh(): Promise<void> {
    this.models = await listModels();
  }

  /** Downloads a model by URL; resolves with the stored model, or undefined after an error. */
  async add(url: string): Promise<StoredModel | undefined> {
    if (this.download) return undefined;
    this.error = undefined;
    const controller = new AbortController();
    this.#controller = controller;
    this.download = { url, receivedBytes: 0, totalBytes: undefined };
    try {
      const model = await addModelFromUrl(url, {
        signal: controller.signal,
        onProgress: (progress) => {
          if (this.download) Object.assign(this.download, progress);
        },
      });
      await this.refresh();
      return model;
    } catch (error) {
      this.error =
        error instanceof DownloadError && error.code === 'aborted'
          ? undefined
          : error instanceof Error
            ? error.message
            : String(error);
      return undefined;
    } finally {
      this.download = undefined;
      this.#controller = undefined;
    }
  }

  cancelDownload(): void {
    this.#controller?.abort();
  }

  async remove(id: string): Promise<void> {
    await deleteModel(id);
    await this.refresh();
  }
}
