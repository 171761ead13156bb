/** The browser's storage: how much is used, how much is allowed, and whether it is persistent. */

export interface StorageInfo {
  usageBytes: number | undefined;
  quotaBytes: number | undefined;
  /** Whether the browser promised not to evict our data under storage pressure. */
  persisted: boolean | undefined;
}

export async function readStorageInfo(): Promise<StorageInfo> {
  const storage = navigator.storage as StorageManager | undefined;
  if (!storage?.estimate) return { usageBytes: undefined, quotaBytes: undefined, persisted: undefined };
  const [estimate, persisted] = await Promise.all([
    storage.estimate(),
    storage.persisted ? storage.persisted() : Promise.resolve(undefined),
  ]);
  return { usageBytes: estimate.usage, quotaBytes: estimate.quota, persisted };
}

/** Asks for persistent storage; resolves with whether it was granted. */
export async function requestPersistence(): Promise<boolean> {
  const storage = navigator.storage as StorageManager | undefined;
  if (!storage?.persist) return false;
  return storage.persist();
}

/** Bytes this origin stores now, by the browser's estimate; undefined where it does not say. */
export async function storedBytesNow(): Promise<number | undefined> {
  return (await readStorageInfo().catch(() => undefined))?.usageBytes;
}

/**
 * How much the storage grew between two readings: the size of a model another library stored
 * (web-llm's cache does not report one). 0 when either reading is missing or storage shrank.
 */
export function growthSince(before: number | undefined, after: number | undefined): number {
  if (before === undefined || after === undefined) return 0;
  return Math.max(0, after - before);
}
