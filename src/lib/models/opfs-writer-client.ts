/**
 * The page's side of the model-file worker (`opfs-writer-protocol`), over a WorkerBridge: an OPFS
 * download runs entirely in that worker (fetch, hash and sync-handle writes from one reused
 * buffer), and the page hears its progress, persists its checkpoints and answers its size
 * question. No byte of the model crosses to the page. Where the browser has no OPFS or no sync handles, `opfsWritable()` says so and
 * downloads run in the page into the IndexedDB sink instead.
 */
import { assertNever } from '../shared/assert-never';
import { WorkerBridge, type Addressed, type Heard, type WorkerLike, type WorkerLoss } from '../shared/worker-bridge';
import type { DownloadedFile, DownloadRequest } from './download-types';
import { DownloadError } from './download-error';
import type { WriterFailure, WriterReply, WriterRequest } from './opfs-writer-protocol';
import { opfsFileName, readOpfsFile } from './opfs-files';

/** A download as the worker runs it: the page-side parts of a DownloadRequest (no sink, no fetch). */
export type WorkerDownloadRequest = Omit<DownloadRequest, 'sink' | 'fetch'>;

/** What the worker tells the page while a download runs. */
type DownloadEvent = Extract<WriterReply, { kind: 'progress' | 'checkpoint' | 'check-size' }>;

type Pending =
  | { kind: 'ask'; resolve: (value: number | boolean | null) => void; reject: (error: Error) => void }
  | {
      kind: 'download';
      resolve: (file: DownloadedFile) => void;
      reject: (error: Error) => void;
      onEvent: (event: DownloadEvent) => void;
    };

type Ask = Extract<WriterRequest, { kind: 'probe' | 'size' | 'remove' }>;
/** An Ask without its id (Omit over each member of the union). */
type AskBody = Ask extends infer R ? (R extends Ask ? Omit<R, 'id'> : never) : never;

/** The failure as an Error again: a DownloadError keeps its code, a quota error stays a DOMException. */
function errorOf(failure: WriterFailure): Error {
  if (failure.download) return new DownloadError(failure.download.code, failure.message, failure.download.resumable);
  return new DOMException(failure.message, failure.name);
}

/** A lost worker fails its download as storage that failed; what it wrote is not trusted. */
const lostError = (loss: WorkerLoss) =>
  new DownloadError(
    'storage-failed',
    loss.kind === 'crashed'
      ? `The model file worker stopped: ${loss.detail}`
      : 'The model file worker sent a message that could not be read.',
  );

export class WriterClient {
  readonly #bridge: WorkerBridge<WriterRequest, WriterReply, Pending, DownloadError>;

  constructor(createWorker: () => WorkerLike) {
    this.#bridge = new WorkerBridge<WriterRequest, WriterReply, Pending, DownloadError>(createWorker, {
      receive: receiveWriterReply,
      lostError,
    });
  }

  ask<T>(request: AskBody): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#bridge.call(request, { kind: 'ask', resolve: resolve as (value: unknown) => void, reject });
    });
  }

  /** Runs one download in the worker; settles after every checkpoint it reported is persisted. */
  download(request: WorkerDownloadRequest): Promise<DownloadedFile> {
    const { signal, resume } = request;
    if (signal?.aborted) return Promise.reject(new DownloadError('aborted', 'The download was cancelled.'));
    // Checkpoints are saved one after another, and all of them before the download settles.
    let saving: Promise<void> = Promise.resolve();
    return new Promise<DownloadedFile>((resolve, reject) => {
      const settle = (done: () => void) => void saving.then(done, reject);
      const id = this.#bridge.call(
        {
          kind: 'download',
          file: opfsFileName(request.modelId),
          url: request.url.href,
          checkSize: request.refuseSize !== undefined,
          ...(request.chunkSize === undefined ? {} : { chunkSize: request.chunkSize }),
          ...(request.sha256 === undefined ? {} : { sha256: request.sha256 }),
          ...(resume ? { resume: resume.state } : {}),
        },
        {
          kind: 'download',
          resolve: (file) => settle(() => resolve(file)),
          reject: (error) => settle(() => reject(error)),
          onEvent: (event) => {
            switch (event.kind) {
              case 'progress':
                return request.onProgress?.(event.progress);
              case 'checkpoint':
                saving = saving.then(() => resume?.onCheckpoint(event.state));
                return;
              case 'check-size':
                return void Promise.resolve(request.refuseSize?.(event.fileBytes)).then(
                  (refusal) => this.#bridge.post({ kind: 'size-verdict', id, refusal }),
                  (error: unknown) =>
                    this.#bridge.post({
                      kind: 'size-verdict',
                      id,
                      refusal: error instanceof Error ? error.message : String(error),
                    }),
                );
              default:
                return assertNever(event);
            }
          },
        },
        // The worker stops the download, removes the partial file and fails it as `aborted`.
        { signal, onAbort: { tell: (id) => ({ kind: 'cancel', id }) } },
      );
    });
  }
}

function receiveWriterReply(reply: Addressed<WriterReply>, pending: Pending): Heard {
  switch (reply.kind) {
    case 'done':
      if (pending.kind !== 'ask') return mismatch(pending, reply);
      pending.resolve(reply.value);
      return 'settled';
    case 'downloaded':
      if (pending.kind !== 'download') return mismatch(pending, reply);
      pending.resolve(reply.file);
      return 'settled';
    case 'failed':
      pending.reject(errorOf(reply.error));
      return 'settled';
    case 'progress':
    case 'checkpoint':
    case 'check-size':
      if (pending.kind !== 'download') return mismatch(pending, reply);
      pending.onEvent(reply);
      return 'open';
    default:
      return assertNever(reply);
  }
}

/** A reply of the wrong kind for its request: the caller is told, never left waiting. */
function mismatch(pending: Pending, reply: WriterReply): Heard {
  pending.reject(
    new DownloadError('storage-failed', `The model file worker answered ${pending.kind} with ${reply.kind}.`),
  );
  return 'settled';
}

/** Vite bundles the worker from this exact `new Worker(new URL(…, import.meta.url))` form. */
const createWriterWorker = () =>
  new Worker(new URL('./opfs-writer.worker.ts', import.meta.url), { type: 'module', name: 'nook-model-writer' });

let client: WriterClient | undefined;
/** The one model-file worker, started on first use (and again after it was lost). */
const writer = () => (client ??= new WriterClient(createWriterWorker));

let writable: Promise<boolean> | undefined;

/** Whether model files can be written to OPFS here (asked once; false on any failure). */
export function opfsWritable(): Promise<boolean> {
  return (writable ??= (async () => {
    if (typeof Worker === 'undefined' || typeof navigator.storage?.getDirectory !== 'function') return false;
    try {
      return await writer().ask<boolean>({ kind: 'probe' });
    } catch {
      return false;
    }
  })());
}

/** OPFS model files as a download uses them: fetched in the worker, read and removed by name. */
export const opfsFiles = {
  download: (request: WorkerDownloadRequest) => writer().download(request),
  readFile: readOpfsFile,
  discard: (storeId: string) =>
    writer()
      .ask<null>({ kind: 'remove', file: opfsFileName(storeId) })
      .then(() => undefined),
};
