/**
 * The typed protocol between the page and the model-file worker (`opfs-writer.worker.ts`). Only a
 * dedicated worker may open a `FileSystemSyncAccessHandle`, the one OPFS API that writes in place
 * (a page's `createWritable()` writes a swap copy and, to resume, first copies the whole file), so
 * the worker runs the whole download of an OPFS file: it fetches, hashes and writes from one
 * reused buffer (no chunk crosses to the page), and the page hears progress and checkpoints and
 * answers the one question the worker cannot (whether the engine could run a file of that size).
 * Types only: both realms import them.
 */
import type { DownloadedFile, DownloadProgress, PartState } from './download-types';
import type { DownloadErrorCode } from './download-error';

/** Page → worker. `file` is a file name inside the model folder (`OPFS_MODEL_DIR`). */
export type WriterRequest =
  /** Whether sync handles work here (answered `done` with a boolean). */
  | { kind: 'probe'; id: number }
  /** Bytes in the file now (0 when there is none). */
  | { kind: 'size'; id: number; file: string }
  | { kind: 'remove'; id: number; file: string }
  /**
   * Downloads `url` into `file` (going on from `resume` where given), checks it, and answers
   * `downloaded` or `failed`; meanwhile `progress`, `checkpoint` and, with `checkSize`, one
   * `check-size` question under the same id.
   */
  | {
      kind: 'download';
      id: number;
      file: string;
      url: string;
      chunkSize?: number;
      sha256?: string;
      resume?: PartState;
      checkSize: boolean;
    }
  /** Stops download `id` (it then fails with code `aborted`). */
  | { kind: 'cancel'; id: number }
  /** The page's answer to `check-size` of download `id`: a sentence when it must stop. */
  | { kind: 'size-verdict'; id: number; refusal: string | undefined };

/** An error's name and message, rebuilt on the page; a DownloadError keeps its code. */
export interface WriterFailure {
  name: string;
  message: string;
  download?: { code: DownloadErrorCode; resumable: boolean };
}

/** Worker → page. */
export type WriterReply =
  | { kind: 'done'; id: number; value: number | boolean | null }
  | { kind: 'downloaded'; id: number; file: DownloadedFile }
  | { kind: 'failed'; id: number; error: WriterFailure }
  | { kind: 'progress'; id: number; progress: DownloadProgress }
  | { kind: 'checkpoint'; id: number; state: PartState }
  | { kind: 'check-size'; id: number; fileBytes: number };
