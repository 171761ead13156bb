/**
 * The model-file worker's side of `opfs-writer-protocol`: downloads run here with `downloadGgufFile` and
 * a sink over the file's sync access handle, so every byte goes network → one reused buffer →
 * hash → disk inside this worker, and the page only hears progress. The folder and fetch are
 * injected (the worker passes OPFS and its own fetch; a unit test passes fakes).
 */
import { assertNever } from '../shared/assert-never';
import type { ServePort } from '../shared/worker-bridge';
import { downloadGgufFile, markDownload } from './download';
import { DownloadError } from './download-error';
import type { WriterFailure, WriterReply, WriterRequest } from './opfs-writer-protocol';
import type { ChunkSink, StoredBytes } from './storage';

/** What the worker needs of a `FileSystemSyncAccessHandle`. */
export interface SyncFile {
  read(into: Uint8Array, options: { at: number }): number;
  write(bytes: Uint8Array, options: { at: number }): number;
  truncate(size: number): void;
  getSize(): number;
  flush(): void;
  close(): void;
}

/** The model folder (OPFS in the worker). */
export interface ModelFolder {
  /** Opens (creating it if missing) the file for writing in place; one handle per file. */
  open(name: string): Promise<SyncFile>;
  /** The closed file as a disk-backed Blob, or an empty one when there is none. */
  file(name: string): Promise<Blob>;
  /** Removes the file; one already gone is not an error. */
  remove(name: string): Promise<void>;
}

/** Writes all of `bytes` at `at`; a short write goes on from where it stopped. */
function writeAll(handle: SyncFile, bytes: Uint8Array, at: number): void {
  for (let done = 0; done < bytes.length;) {
    const left = bytes.length - done;
    const written = handle.write(bytes.subarray(done), { at: at + done });
    // Chromium's in-memory OPFS (private windows) answers a full disk with base::File's
    // "no space" error code as an unsigned count (2^32 − 8) instead of throwing.
    if (written > left) throw new DOMException('There is no room left to store this file.', 'QuotaExceededError');
    if (written <= 0) throw new DOMException('The file could not be written.', 'InvalidStateError');
    done += written;
  }
  // A write that claimed success but left the file short must not pass for stored bytes.
  if (handle.getSize() < at + bytes.length) {
    throw new DOMException('The file was not fully written.', 'QuotaExceededError');
  }
}

/**
 * The sink of one download, over its file's open handle. Writes are synchronous, so `putChunk`
 * has stored the bytes before it returns, as the downloader's reused buffers need, and takes the
 * network's pieces as they come.
 */
function handleSink(name: string, handle: SyncFile, folder: ModelFolder): ChunkSink {
  const settled = (work: () => void) => {
    try {
      work();
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  };
  return {
    // The file's own size says how far a download got; a checkpoint record now and then is
    // enough to show a paused download's progress.
    checkpointBytes: 64 * 1024 * 1024,
    takesPieces: true,
    putChunk: (_id, _index, bytes, at) => settled(() => writeAll(handle, bytes, at)),
    // While the download runs the handle stays open: starting over empties the file. An empty
    // file is left alone: on ext4 a file truncated to zero has all its data flushed when it is
    // closed, ~0.2 s at the end of every 500 MB download
    // (docs/decisions/0023-no-truncate-of-a-new-download.md).
    discardChunks: () => settled(() => handle.getSize() > 0 && handle.truncate(0)),
    discardChunksFrom: (_id, _fromIndex, fromByte) => settled(() => handle.truncate(fromByte)),
    storedBytes: () => Promise.resolve(handle.getSize()),
    // Reads through the handle: no IPC per slice, so the header of a 150k-token vocabulary is
    // parsed from disk at memory speed.
    openStored: (): Promise<StoredBytes> => {
      const size = handle.getSize();
      return Promise.resolve({
        size,
        read: (offset, length) => {
          const into = new Uint8Array(Math.max(0, Math.min(length, size - offset)));
          return Promise.resolve(into.subarray(0, handle.read(into, { at: offset })));
        },
      });
    },
    async readFile() {
      handle.close();
      return folder.file(name);
    },
  };
}

/**
 * The page redraws the progress bar for each message, and each redraw takes CPU from the download
 * on a small machine: ten a second are plenty.
 */
const PROGRESS_INTERVAL_MS = 100;

function failureOf(error: unknown): WriterFailure {
  const name = error instanceof Error ? error.name : 'Error';
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof DownloadError)
    return { name, message, download: { code: error.code, resumable: error.resumable } };
  return { name, message };
}

export function serveModelWriter(
  endpoint: ServePort<WriterRequest, WriterReply>,
  folder: ModelFolder,
  fetchFn: typeof fetch,
): void {
  const running = new Map<number, AbortController>();
  const verdicts = new Map<number, (refusal: string | undefined) => void>();

  async function probe(): Promise<boolean> {
    const name = '.probe';
    let handle: SyncFile | undefined;
    try {
      handle = await folder.open(name);
      handle.write(new Uint8Array([1]), { at: 0 });
      handle.close();
      handle = undefined;
      await folder.remove(name);
      return true;
    } catch {
      handle?.close();
      return false;
    }
  }

  async function download(request: Extract<WriterRequest, { kind: 'download' }>): Promise<WriterReply> {
    markDownload('request');
    const { id } = request;
    const controller = new AbortController();
    running.set(id, controller);
    let progressAt = -Infinity;
    let handle: SyncFile | undefined;
    try {
      handle = await folder.open(request.file);
      markDownload('opened');
      const file = await downloadGgufFile({
        url: new URL(request.url),
        modelId: request.file,
        sink: handleSink(request.file, handle, folder),
        fetch: fetchFn,
        signal: controller.signal,
        ...(request.chunkSize === undefined ? {} : { chunkSize: request.chunkSize }),
        ...(request.sha256 === undefined ? {} : { sha256: request.sha256 }),
        onProgress: (progress) => {
          const now = performance.now();
          if (now - progressAt < PROGRESS_INTERVAL_MS && progress.receivedBytes !== progress.totalBytes) return;
          progressAt = now;
          endpoint.postMessage({ kind: 'progress', id, progress });
        },
        ...(request.resume
          ? {
              resume: {
                state: request.resume,
                onCheckpoint: async (state) => endpoint.postMessage({ kind: 'checkpoint', id, state }),
              },
            }
          : {}),
        ...(request.checkSize
          ? {
              refuseSize: (fileBytes: number) => {
                endpoint.postMessage({ kind: 'check-size', id, fileBytes });
                return new Promise<string | undefined>((resolve) => verdicts.set(id, resolve));
              },
            }
          : {}),
      });
      return { kind: 'downloaded', id, file };
    } catch (error) {
      const keep = error instanceof DownloadError && error.resumable;
      if (!keep) {
        handle?.close();
        handle = undefined;
        await folder.remove(request.file).catch(() => undefined);
      }
      return { kind: 'failed', id, error: failureOf(error) };
    } finally {
      running.delete(id);
      verdicts.delete(id);
      // Closed without flush(): an fsync of the whole file would add a second or more to every
      // download, and nothing else the app stores (IndexedDB's relaxed durability) waits for one.
      // A file cut short by a crash is caught by the size checks when it is resumed or loaded.
      handle?.close();
    }
  }

  async function run(request: Exclude<WriterRequest, { kind: 'cancel' | 'size-verdict' }>): Promise<WriterReply> {
    switch (request.kind) {
      case 'probe':
        return { kind: 'done', id: request.id, value: await probe() };
      case 'size':
        return { kind: 'done', id: request.id, value: (await folder.file(request.file)).size };
      case 'remove':
        await folder.remove(request.file);
        return { kind: 'done', id: request.id, value: null };
      case 'download':
        return download(request);
      default:
        return assertNever(request);
    }
  }

  // Requests run one at a time, in order (a remove waits for the download before it); a cancel
  // or a size verdict is heard at once.
  let queue = Promise.resolve();
  endpoint.addEventListener('message', ({ data }) => {
    switch (data.kind) {
      case 'cancel':
        running.get(data.id)?.abort();
        return;
      case 'size-verdict':
        verdicts.get(data.id)?.(data.refusal);
        return;
      default:
        queue = queue.then(async () => {
          let reply: WriterReply;
          try {
            reply = await run(data);
          } catch (error) {
            reply = { kind: 'failed', id: data.id, error: failureOf(error) };
          }
          if (reply.kind === 'downloaded') markDownload('replied');
          endpoint.postMessage(reply);
        });
    }
  });
}
