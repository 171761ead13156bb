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
