/**
 * The page's side of the model-file worker (`opfs-writer-protocol`): an OPFS download runs entirely in
 * that worker (fetch, hash and sync-handle writes from one reused buffer), and the page hears its
 * progress, persists its checkpoints and answers its size question. No byte of the model crosses
 * to the page. Where the browser has no OPFS or no sync handles, `opfsWritable()` says so and
 * downloads run in the page into the IndexedDB sink instead.
 */
import { assertNever } from '../shared/assert-never';
import type { DownloadedFile, DownloadRequest } from './download';
import { DownloadError } from './download-error';
import type { WriterFailure, WriterReply, WriterRequest } from './opfs-writer-protocol';
import { opfsFileName, readOpfsFile } from './opfs-files';

/** The worker, or one end of a MessageChannel in a test. */
export interface WriterPort {
  postMessage(message: WriterRequest): void;
  onmessage: ((event: MessageEvent<WriterReply>) => void) | null;
}

/** A download as the worker runs it: the page-side parts of a DownloadRequest (no sink, no fetch). */
export type WorkerDownloadRequest = Omit<DownloadRequest, 'sink' | 'fetch'>;

type Event = Extract<WriterReply, { kind: 'progress' | 'checkpoint' | 'check-size' }>;

interface Waiter {
  resolve(value: unknown): void;
  reject(error: Error): void;
  event?(reply: Event): void;
}

type Ask = Extract<WriterRequest, { kind: 'probe' | 'size' | 'remove' }>;
/** An Ask without its id (Omit over each member of the union). */
type AskBody = Ask extends infer R ? (R extends Ask ? Omit<R, 'id'> : never) : never;

/** The failure as an Error again: a DownloadError keeps its code, a quota error stays a DOMException. */
function errorOf(failure: WriterFailure): Error {
  if (failure.download) return new DownloadError(failure.download.code, failure.message, failure.download.resumable);
  return new DOMException(failure.message, failure.name);
}

export class WriterClient {
  readonly #port: WriterPort;
  readonly #waiting = new Map<number, Waiter>();
  #nextId = 1;

  constructor(port: WriterPort) {
    this.#port = port;
    port.onmessage = ({ data }) => {
      const waiter = this.#waiting.get(data.id);
      if (!waiter) return;
      switch (data.kind) {
        case 'done':
          this.#waiting.delete(data.id);
          return waiter.resolve(data.value);
        case 'downloaded':
          this.#waiting.delete(data.id);
          return waiter.resolve(data.file);
        case 'failed':
          this.#waiting.delete(data.id);
          return waiter.reject(errorOf(data.error));
        case 'progress':
        case 'checkpoint':
        case 'check-size':
          return waiter.event?.(data);
        default:
          return assertNever(data);
      }
    };
  }

  /** The worker is gone: every call waiting on it fails. */
  failAll(error: Error): void {
    for (const waiter of this.#waiting.values()) waiter.reject(error);
    this.#waiting.clear();
  }

  ask<T>(request: AskBody): Promise<T> {
    const id = this.#nextId++;
    return new Promise<T>((resolve, reject) => {
      this.#waiting.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.#port.postMessage({ ...request, id } as Ask);
    });
  }

  /** Runs one download in the worker; settles after every checkpoint it reported is persisted. */
  download(request: WorkerDownloadRequest): Promise<DownloadedFile> {
    const id = this.#nextId++;
    const { signal, resume } = request;
    if (signal?.aborted) return Promise.reject(new DownloadError('aborted', 'The download was cancelled.'));
    // Checkpoints are saved one after another, and all of them before the download settles.
    let saving: Promise<void> = Promise.resolve();
    return new Promise<DownloadedFile>((resolve, reject) => {
      const cancel = () => this.#port.postMessage({ kind: 'cancel', id });
      signal?.addEventListener('abort', cancel, { once: true });
      const settle = (done: () => void) => {
        signal?.removeEventListener('abort', cancel);
        saving.then(done, reject);
      };
      this.#waiting.set(id, {
        resolve: (file) => settle(() => resolve(file as DownloadedFile)),
        reject: (error) => settle(() => reject(error)),
        event: (reply) => {
          switch (reply.kind) {
            case 'progress':
              return request.onProgress?.(reply.progress);
            case 'checkpoint':
              saving = saving.then(() => resume?.onCheckpoint(reply.state));
              return;
            case 'check-size':
              return void Promise.resolve(request.refuseSize?.(reply.fileBytes)).then(
                (refusal) => this.#port.postMessage({ kind: 'size-verdict', id, refusal }),
                (error: unknown) =>
                  this.#port.postMessage({
                    kind: 'size-verdict',
                    id,
                    refusal: error instanceof Error ? error.message : String(error),
                  }),
              );
            default:
              return assertNever(reply);
          }
        },
      });
      this.#port.postMessage({
        kind: 'download',
        id,
        file: opfsFileName(request.modelId),
        url: request.url.href,
        checkSize: request.refuseSize !== undefined,
        ...(request.chunkSize === undefined ? {} : { chunkSize: request.chunkSize }),
        ...(request.sha256 === undefined ? {} : { sha256: request.sha256 }),
        ...(resume ? { resume: resume.state } : {}),
      });
    });
  }
}

let client: WriterClient | undefined;
/** The one worker; should it die, every waiting call fails and the next call starts a fresh one. */
function writer(): WriterClient {
  if (client) return client;
  const worker = new Worker(new URL('./opfs-writer.worker.ts', import.meta.url), {
    type: 'module',
    name: 'nook-model-writer',
  });
  const started = new WriterClient(worker as unknown as WriterPort);
  worker.onerror = (event) => {
    event.preventDefault();
    if (client === started) client = undefined;
    started.failAll(new Error(`The model file worker stopped: ${event.message}`));
    worker.terminate();
  };
  return (client = started);
}

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
