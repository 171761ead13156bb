/**
 * A stored model file as a `Blob` whose bytes are read through a `FileSystemSyncAccessHandle`,
 * for the one reader that asks for many large slices: wllama, which answers each of llama.cpp's
 * tensor reads in our engine worker, with `readInto` (our edit of wllama) or, stock,
 * `blob.slice(a, b).arrayBuffer()`. A disk-backed `File` from OPFS serves each slice through the
 * browser process; the handle reads it in this thread, several times faster
 * (docs/decisions/0008-tensor-reads-through-sync-handles.md).
 *
 * Every way of reading a Blob (`slice`, `arrayBuffer`, `bytes`, `text`, `stream`) is served from
 * the handle, so no reader sees the empty Blob underneath. It is valid while its handle is open:
 * the engine opens the handles for one load and closes them when the load ends.
 */

/** What this needs of a sync access handle. */
export interface ReadHandle {
  read(into: Uint8Array, options: { at: number }): number;
  getSize(): number;
}

/** Blob.slice's rule for a start or end: negative counts from the end, clamped to the blob. */
const clamp = (value: number, size: number) => (value < 0 ? Math.max(size + value, 0) : Math.min(value, size));

/** Bytes per read of `stream()`. */
const STREAM_BYTES = 8 * 1024 * 1024;

export class HandleBlob extends Blob {
  readonly name: string;
  readonly #handle: ReadHandle;
  readonly #start: number;
  readonly #size: number;

  constructor(handle: ReadHandle, name: string, start = 0, size = handle.getSize() - start) {
    super([]);
    this.#handle = handle;
    this.name = name;
    this.#start = start;
    this.#size = size;
  }

  override get size(): number {
    return this.#size;
  }

  override slice(start = 0, end = this.#size): HandleBlob {
    const from = clamp(start, this.#size);
    const to = Math.max(from, clamp(end, this.#size));
    return new HandleBlob(this.#handle, this.name, this.#start + from, to - from);
  }

  /**
   * Reads into `into` (any view, a shared heap's too) from `offset` within this blob: as many
   * bytes as fit, fewer at the blob's end. Returns how many were read. wllama's tensor reads use
   * it, through our edit of wllama (vite-plugins/wllama-heap-reads.ts), to fill llama.cpp's heap
   * with no buffer in between.
   */
  readInto(into: Uint8Array, offset: number): number {
    const length = Math.max(0, Math.min(into.length, this.#size - offset));
    for (let done = 0; done < length;) {
      const read = this.#handle.read(into.subarray(done, length), { at: this.#start + offset + done });
      if (read <= 0) throw new DOMException('The stored model file ended early.', 'NotReadableError');
      done += read;
    }
    return length;
  }

  /** `length` bytes from `offset` (within this blob), read at once. */
  #read(offset: number, length: number): Uint8Array<ArrayBuffer> {
    const bytes = new Uint8Array(length);
    this.readInto(bytes, offset);
    return bytes;
  }

  override arrayBuffer(): Promise<ArrayBuffer> {
    try {
      return Promise.resolve(this.#read(0, this.#size).buffer);
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  override async bytes(): Promise<Uint8Array<ArrayBuffer>> {
    return new Uint8Array(await this.arrayBuffer());
  }

  override async text(): Promise<string> {
    return new TextDecoder().decode(await this.arrayBuffer());
  }

  override stream(): ReadableStream<Uint8Array<ArrayBuffer>> {
    let at = 0;
    return new ReadableStream({
      pull: (controller) => {
        if (at >= this.#size) return controller.close();
        const length = Math.min(STREAM_BYTES, this.#size - at);
        controller.enqueue(this.#read(at, length));
        at += length;
      },
    });
  }
}
