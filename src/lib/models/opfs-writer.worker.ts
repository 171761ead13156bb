/**
 * The model-file worker: downloads OPFS model files in place with sync access handles (see
 * `opfs-writer-protocol` and `opfs-writer-serve`). This file only hands the real OPFS folder and this
 * worker's fetch to the server.
 */
import { OPFS_MODEL_DIR } from './opfs-files';
import { serveModelWriter, type ModelFolder } from './opfs-writer-serve';

declare const self: DedicatedWorkerGlobalScope;

let folder: Promise<FileSystemDirectoryHandle> | undefined;
const modelDir = () =>
  (folder ??= navigator.storage
    .getDirectory()
    .then((root) => root.getDirectoryHandle(OPFS_MODEL_DIR, { create: true })));

const isNotFound = (error: unknown) => error instanceof DOMException && error.name === 'NotFoundError';

const opfsFolder: ModelFolder = {
  open: async (name) => (await (await modelDir()).getFileHandle(name, { create: true })).createSyncAccessHandle(),
  async file(name) {
    try {
      return await (await (await modelDir()).getFileHandle(name)).getFile();
    } catch (error) {
      if (isNotFound(error)) return new Blob([]);
      throw error;
    }
  },
  async remove(name) {
    try {
      await (await modelDir()).removeEntry(name);
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  },
};

serveModelWriter(self, opfsFolder, self.fetch.bind(self));
