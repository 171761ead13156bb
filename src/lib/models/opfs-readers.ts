/**
 * Stored model files opened for one load in a worker: Blobs read through read-only sync access
 * handles (`HandleBlob`, which says why), closed when the load ends.
 */
import type { OpenedFiles } from '../engine/wllama-engine';
import { HandleBlob, type ReadHandle } from './handle-blob';
import { modelDir, opfsFileName } from './opfs-files';

/** A sync access handle as this opens it (TypeScript's lib has no `mode` yet). */
interface SyncReadHandle extends ReadHandle {
  close(): void;
}
type Openable = { createSyncAccessHandle?: (options?: { mode: 'read-only' }) => Promise<SyncReadHandle> };

/**
 * Undefined where the browser has no sync access handles (the page, or an older browser) or one
 * cannot be opened (a download or another reader holds the file): the caller reads the `File`s.
 */
export async function openOpfsReaders(storeIds: readonly string[]): Promise<OpenedFiles | undefined> {
  const handles: SyncReadHandle[] = [];
  const close = () => handles.splice(0).forEach((handle) => handle.close());
  try {
    const dir = await modelDir(false);
    const files: Blob[] = [];
    for (const storeId of storeIds) {
      const fileHandle = (await dir.getFileHandle(opfsFileName(storeId))) as unknown as Openable;
      if (typeof fileHandle.createSyncAccessHandle !== 'function') {
        close();
        return undefined;
      }
      // 'read-only' lets the page read the File and other readers open it meanwhile (Chromium
      // 121+); where the mode is unknown the handle is exclusive, for this load only.
      const handle = await fileHandle.createSyncAccessHandle({ mode: 'read-only' });
      handles.push(handle);
      files.push(new HandleBlob(handle, opfsFileName(storeId)));
    }
    return { files, close };
  } catch {
    close();
    return undefined;
  }
}
