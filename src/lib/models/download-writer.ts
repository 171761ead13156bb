/**
 * Writes one response body into the sink: chunk by chunk, checkpointing a resumable download as
 * it goes, reporting progress, hashing the bytes as they arrive when the whole file comes in this
 * response, and keeping a valid prefix when the connection breaks.
 */
import { bodyBytes } from './body-bytes';
import { DownloadError } from './download-error';
import { cancelledDownload, describeError } from './download-response';
import type { DownloadRequest, PartState } from './download-types';
import { hasGgufMagic } from './gguf';
import { DEFAULT_CHUNK_SIZE, mb, newSha256, notGguf } from './download-verify';

type Hasher = Awaited<ReturnType<typeof newSha256>>;

function isQuotaError(error: unknown): boolean {
  return (
    (error instanceof DOMException && error.name === 'QuotaExceededError') ||
    (error instanceof Error && /quota/i.test(`${error.name} ${error.message}`))
  );
}

export class PartWriter {
  readonly #request: DownloadRequest;
  readonly #state: PartState;
  readonly #totalBytes: number | undefined;
  readonly #hasher: Hasher | undefined;
  #received: number;
  #checkpointedAt: number;
  #reportedAt = -Infinity;
  /** Progress about 200 times per file (or every 4 MB): a smooth bar without an update per packet. */
  readonly #progressStep: number;

  private constructor(
    request: DownloadRequest,
    state: PartState,
    offset: number,
    totalBytes: number | undefined,
    hasher?: Hasher,
  ) {
    this.#request = request;
    this.#state = state;
    this.#totalBytes = totalBytes;
    this.#hasher = hasher;
    this.#received = offset;
    this.#checkpointedAt = state.storedBytes;
    this.#progressStep = Math.min(4 * 1024 * 1024, (totalBytes ?? Infinity) / 200);
  }

  /**
   * A writer for a body that starts at `offset`. The bytes are hashed as they arrive when the whole
   * file comes in this response, so checking it does not read the stored file again; a resumed
   * file is hashed from storage at the end.
   */
  static async open(request: DownloadRequest, state: PartState, offset: number, totalBytes: number | undefined) {
    const hasher = request.sha256 && offset === 0 ? await newSha256() : undefined;
    return new PartWriter(request, state, offset, totalBytes, hasher);
  }

  /** Bytes of the file received so far, including those stored by earlier attempts. */
  get received(): number {
    return this.#received;
  }

  /** The digest of the bytes as they arrived, when all of them arrived in this attempt. */
  arrivedSha256(): string | undefined {
    return this.#hasher?.digest('hex');
  }

  /** Reads the whole body into the sink; throws a DownloadError when it breaks or is cancelled. */
  async write(stream: ReadableStream<Uint8Array>): Promise<void> {
    const body = bodyBytes(stream);
    let buffered: ChunkBuffer | undefined;
    try {
      if (this.#request.sink.takesPieces) {
        await this.#writePieces(body);
      } else {
        buffered = new ChunkBuffer(this.#request.chunkSize ?? DEFAULT_CHUNK_SIZE, (bytes) => this.#store(bytes));
        await this.#writeBuffered(body, buffered);
      }
    } finally {
      body.cancel(); // may already be closed or errored; nothing to free then
      await buffered?.settle(); // a write still running must end before anything is discarded or kept
    }
    await buffered?.flush({ wait: true });
    if (this.#received !== this.#reportedAt) this.#progress();
  }

  /** A sink that takes pieces gets each one as it arrives, straight from the reader's buffer. */
  async #writePieces(body: ReturnType<typeof bodyBytes>): Promise<void> {
    for (;;) {
      let piece: Uint8Array | undefined;
      try {
        piece = await body.next();
      } catch (error) {
        throw await this.#broke(error, async () => undefined);
      }
      if (!piece) return;
      if (this.#request.signal?.aborted) throw cancelledDownload();
      this.#arrived(piece);
      await this.#store(piece);
    }
  }

  async #writeBuffered(body: ReturnType<typeof bodyBytes>, buffered: ChunkBuffer): Promise<void> {
    for (;;) {
      let step: Awaited<ReturnType<typeof body.read>>;
      try {
        step = await body.read(buffered.buffer, buffered.filled);
      } catch (error) {
        // Keep what arrived: it is a valid prefix of the file.
        throw await this.#broke(error, () => buffered.flush({ wait: true }));
      }
      buffered.buffer = step.buffer;
      if (step.done) return;
      // A fetch whose body does not end on abort must not outrun the cancel.
      if (this.#request.signal?.aborted) throw cancelledDownload();
      this.#arrived(new Uint8Array(step.buffer, buffered.filled, step.bytes));
      await buffered.added(step.bytes);
    }
  }

  /** Bookkeeping for bytes just arrived; refuses a wrong file at its first bytes. */
  #arrived(bytes: Uint8Array): void {
    if (this.#received === 0 && bytes.length >= 4 && !hasGgufMagic(bytes)) throw notGguf();
    this.#received += bytes.length;
    this.#hasher?.update(bytes);
    if (this.#received - this.#reportedAt >= this.#progressStep || this.#received === this.#totalBytes) {
      this.#progress();
    }
  }

  #progress(): void {
    this.#reportedAt = this.#received;
    this.#request.onProgress?.({ receivedBytes: this.#received, totalBytes: this.#totalBytes });
  }

  async #store(bytes: Uint8Array): Promise<void> {
    const { sink, modelId } = this.#request;
    const state = this.#state;
    // Read now: once the sink has the bytes, the next read refills (or may detach) their buffer.
    const size = bytes.length;
    try {
      await sink.putChunk(modelId, state.chunkCount, bytes, state.storedBytes);
    } catch (error) {
      if (isQuotaError(error)) {
        throw new DownloadError(
          'quota-exceeded',
          `The browser has no room left for this model (${describeError(error)}).`,
        );
      }
      throw new DownloadError('storage-failed', `Could not store the model: ${describeError(error)}`);
    }
    state.chunkCount++;
    state.storedBytes += size;
    await this.#checkpoint({ always: false });
  }

  async #checkpoint({ always }: { always: boolean }): Promise<void> {
    const { resume, sink } = this.#request;
    if (!resume) return;
    if (!always && this.#state.storedBytes - this.#checkpointedAt < (sink.checkpointBytes ?? 0)) return;
    this.#checkpointedAt = this.#state.storedBytes;
    await resume.onCheckpoint({ ...this.#state });
  }

  /** The connection broke: plain mode fails; resumable mode keeps what was stored, to go on from. */
  async #broke(error: unknown, storeWhatArrived: () => Promise<void>): Promise<DownloadError> {
    const { signal, url, resume } = this.#request;
    if (signal?.aborted) return cancelledDownload();
    const message = `The connection to ${url.host} broke after ${mb(this.#received)} (${describeError(error)}).`;
    if (!resume) return new DownloadError('unreachable', message);
    await storeWhatArrived();
    await this.#checkpoint({ always: true });
    return new DownloadError('unreachable', message, true);
  }
}

/**
 * One buffer of a chunk's size, reused for the whole file: the sink reads a full buffer before its
 * write returns a promise, so the next bytes arrive into the same memory while that write runs
 * (never more than one write in flight).
 */
class ChunkBuffer {
  buffer: ArrayBuffer;
  filled = 0;
  #writing: Promise<void> | undefined;
  readonly #store: (bytes: Uint8Array) => Promise<void>;

  constructor(size: number, store: (bytes: Uint8Array) => Promise<void>) {
    this.buffer = new ArrayBuffer(size);
    this.#store = store;
  }

  /** `bytes` more arrived at `filled`; a full buffer starts its write. */
  async added(bytes: number): Promise<void> {
    this.filled += bytes;
    if (this.filled === this.buffer.byteLength) await this.flush({ wait: false });
  }

  /** Waits for the write in flight, then starts one for what is filled (and waits for it too). */
  async flush({ wait }: { wait: boolean }): Promise<void> {
    await this.#writing;
    this.#writing = undefined;
    if (this.filled > 0) {
      this.#writing = this.#store(new Uint8Array(this.buffer, 0, this.filled));
      this.filled = 0;
      // Its failure is handled where it is awaited (the next flush, or the caller's settle).
      this.#writing.catch(() => undefined);
    }
    if (wait) {
      await this.#writing;
      this.#writing = undefined;
    }
  }

  /** Lets a write in flight end, without throwing its failure (already handled). */
  settle(): Promise<void> | undefined {
    return this.#writing?.catch(() => undefined);
  }
}
