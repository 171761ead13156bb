/**
 * The typed protocol between the page and the model-file writer worker (`opfs-writer.worker.ts`).
 * Only a dedicated worker may open a `FileSystemSyncAccessHandle`, the one OPFS API that writes in
 * place (a page's `createWritable()` writes a swap copy and, to resume, first copies the whole
 * file), so the page downloads and the worker writes. Types only: both realms import them.
 */

/** Folder of the Origin Private File System that holds model files. */
export const OPFS_MODEL_DIR = 'nook-models';

/** Page → worker. `file` is a file name inside {@link OPFS_MODEL_DIR}. */
export type WriterRequest =
  | { kind: 'probe'; id: number }
  /** Writes `chunks` one after another from byte `at`. The buffers are transferred. */
  | { kind: 'write'; id: number; file: string; at: number; chunks: ArrayBuffer[] }
  | { kind: 'truncate'; id: number; file: string; size: number }
  /** Bytes in the file now (0 when there is none). */
  | { kind: 'size'; id: number; file: string }
  /** Flushes and releases the file's handle, so it can be read as a File. */
  | { kind: 'close'; id: number; file: string }
  | { kind: 'remove'; id: number; file: string };

/** A DOMException's name and message, rebuilt on the page so a quota error stays one. */
export interface WriterFailure {
  name: string;
  message: string;
}

/** Worker → page. */
export type WriterReply =
  { kind: 'done'; id: number; value: number | boolean | null } | { kind: 'failed'; id: number; error: WriterFailure };
