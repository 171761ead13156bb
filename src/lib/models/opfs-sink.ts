/**
 * The OPFS ChunkSink: the page hands each downloaded chunk to the writer worker (its buffers
 * transferred, not copied), which writes it in place with a sync access handle. Nothing of the
 * file piles up in the page or in the browser's Blob store, and a resumed download goes on from
 * the file's own size. Where the browser has no OPFS or no sync handles, `opfsWritable()` says so
 * and downloads use the IndexedDB sink instead.
 */
import type { WriterReply, WriterRequest } from './opfs-protocol';
import { opfsFileName, readOpfsFile } from './opfs-files';
import type { ChunkSink } from './storage';

type Ask = WriterRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

class WriterClient {
  readonly #worker: Worker;
  readonly #waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  #nextId = 1;

  constructor(worker: Worker) {
    this.#worker = worker;
    worker.onmessage = ({ data }: MessageEvent<WriterReply>) => {
      const waiter = this.#waiting.get(data.id);
      if (!waiter) return;
      this.#waiting.delete(data.id);
      if (data.kind === 'done') waiter.resolve(data.value);
      // A DOMException again, so a QuotaExceededError is recognised as one.
      else waiter.reject(new DOMException(data.error.message, data.error.name));
    };
    worker.onerror = (event) => {
      event.preventDefault();
      for (const waiter of this.#waiting.values())
        waiter.reject(new Error(`The file writer stopped: ${event.message}`));
      this.#waiting.clear();
    };
  }

  ask<T>(request: Ask, transfer: Transferable[] = []): Promise<T> {
    const id = this.#nextId++;
    return new Promise<T>((resolve, reject) => {
      this.#waiting.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.#worker.postMessage({ ...request, id } as WriterRequest, transfer);
    });
  }
}

let client: WriterClient | undefined;
const writer = () =>
  (client ??= new WriterClient(
    new Worker(new URL('./opfs-writer.worker.ts', import.meta.url), { type: 'module', name: 'nook-model-writer' }),
  ));

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

/** The chunk's own buffer when it spans all of it (transferable as is), else a copy of its bytes. */
function ownBuffer(bytes: Uint8Array): ArrayBuffer {
  const { buffer, byteOffset, byteLength } = bytes;
  if (buffer instanceof ArrayBuffer && byteOffset === 0 && byteLength === buffer.byteLength) return buffer;
  return bytes.slice().buffer;
}

export const opfsChunkSink: ChunkSink = {
  // The file's own size says how far a download got; a checkpoint record now and then is enough
  // to show a paused download's progress.
  checkpointBytes: 64 * 1024 * 1024,
  async putChunk(storeId, _index, bytes, at) {
    const chunks = bytes.map(ownBuffer);
    await writer().ask<number>({ kind: 'write', file: opfsFileName(storeId), at, chunks }, chunks);
  },
  discardChunks: (storeId) => writer().ask({ kind: 'remove', file: opfsFileName(storeId) }),
  discardChunksFrom: (storeId, _fromIndex, fromByte) =>
    writer().ask({ kind: 'truncate', file: opfsFileName(storeId), size: fromByte }),
  storedBytes: (storeId) => writer().ask<number>({ kind: 'size', file: opfsFileName(storeId) }),
  async readFile(storeId) {
    await writer().ask({ kind: 'close', file: opfsFileName(storeId) });
    return readOpfsFile(storeId);
  },
};
