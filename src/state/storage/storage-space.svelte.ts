/**
 * How much this browser lets Nook store, how much is used, and whether it may evict the models:
 * what the Storage panel shows. Once a model is stored, the browser is asked to keep it.
 */
import { readStorageInfo, requestPersistence, type StorageInfo } from '../../lib/models/quota';

export class StorageSpaceState {
  #info = $state.raw<StorageInfo | undefined>(undefined);

  /** Usage, quota and persistence as the browser last said (undefined until read). */
  get info(): StorageInfo | undefined {
    return this.#info;
  }

  async refresh(): Promise<void> {
    this.#info = await readStorageInfo();
  }

  /** The user asked the browser not to clear the models under storage pressure. */
  async askPersistence(): Promise<void> {
    await requestPersistence();
    await this.refresh();
  }

  /** With a model stored, ask the browser not to evict it (it may grant this silently). */
  async keepModels(): Promise<void> {
    if (this.#info?.persisted) return;
    await requestPersistence().catch(() => false);
    await this.refresh();
  }
}
