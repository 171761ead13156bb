/**
 * Model files in the Origin Private File System, as any realm reads them: the page (verifying,
 * deleting) and the GGUF engine worker (loading). A stored file comes back as the disk-backed
 * `File` of `getFile()`, so reading a slice reads that slice from disk and nothing else is held.
 * Writing needs a sync access handle, so it lives in the writer worker (`opfs-writer-serve.ts`).
 */
/** Folder of the Origin Private File System that holds model files. */
export const OPFS_MODEL_DIR = 'nook-models';

/** File name of one stored part (`storeId` is `partStoreId(modelId, index)`). */
export const opfsFileName = (storeId: string) => `${storeId}.gguf`;

export const modelDir = async (create: boolean) =>
  (await navigator.storage.getDirectory()).getDirectoryHandle(OPFS_MODEL_DIR, { create });

const isNotFound = (error: unknown) =>
  error instanceof DOMException && (error.name === 'NotFoundError' || error.name === 'TypeMismatchError');

/** The stored file, or an empty Blob when there is none (the caller compares sizes). */
export async function readOpfsFile(storeId: string): Promise<Blob> {
  try {
    return await (await (await modelDir(false)).getFileHandle(opfsFileName(storeId))).getFile();
  } catch (error) {
    if (isNotFound(error)) return new Blob([]);
    throw error;
  }
}

/** Removes a stored file; a file already gone is not an error. */
export async function removeOpfsFile(storeId: string): Promise<void> {
  try {
    await (await modelDir(false)).removeEntry(opfsFileName(storeId));
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
}
