/**
 * Downloads one GGUF file into chunked storage with progress, and proves it complete before anyone
 * may use it: the first bytes must be GGUF's magic, the length must match what the server
 * announced, the header's tensor table must fit inside the file, and the SHA-256 must match where
 * one is known.
 *
 * Two modes. Plain (no `resume`): any failure or cancel removes the chunks written. Resumable
 * (`resume` given): the download starts after the bytes already stored, asking the server for the
 * rest with an HTTP Range request; every stored chunk is reported to `onCheckpoint` so the caller
 * can persist how far it got; and when the connection breaks, what arrived is kept so the next
 * attempt goes on from there. A file that fails verification is always removed.
 */
import {
  blobByteSource,
  GgufError,
  hasGgufMagic,
  readGgufHeader,
  summarizeGguf,
  type ByteSource,
  type GgufSummary,
} from './gguf';
import type { ChunkSink, StoredBytes } from './storage';
import { DownloadError } from './download-error';
import { bodyBytes } from './body-bytes';

export interface DownloadProgress {
  /** Bytes of the file stored or arriving, including those stored by earlier attempts. */
  receivedBytes: number;
  /** From Content-Length / Content-Range; undefined when the server does not say. */
  totalBytes: number | undefined;
}

/** How far a resumable download got; persisted by the caller between attempts and reloads. */
export interface PartState {
  /** Bytes safely stored, in `chunkCount` chunks. */
  storedBytes: number;
  chunkCount: number;
  totalBytes?: number;
  /** The server's validator for the file; a resumed request asks for the rest of this version. */
  etag?: string;
}

export interface DownloadRequest {
  url: URL;
  /** Where the chunks go in the sink (the model id, or one per part of a split model). */
  modelId: string;
  sink: ChunkSink;
  signal?: AbortSignal;
  onProgress?: (progress: DownloadProgress) => void;
  fetch?: typeof globalThis.fetch;
  /** Bytes per stored chunk. */
  chunkSize?: number;
  /** Hex SHA-256 the finished file must have. */
  sha256?: string;
  resume?: { state: PartState; onCheckpoint: (state: PartState) => Promise<void> };
  /**
   * Asked with the file's full size as soon as the server announces it, before the body is read:
   * a sentence says why the engine could not run it (the download stops, nothing is kept).
   */
  refuseSize?: (fileBytes: number) => string | undefined | Promise<string | undefined>;
}

export interface DownloadedFile {
  sizeBytes: number;
  chunkCount: number;
  /** What the record needs from the header (the header itself holds the whole vocabulary). */
  summary: GgufSummary;
}

export const DEFAULT_CHUNK_SIZE = 8 * 1024 * 1024;

const notGguf = () => new DownloadError('not-gguf', 'This file is not a GGUF model (it does not start with “GGUF”).');

const mb = (bytes: number) => `${(bytes / 1_000_000).toFixed(1)} MB`;

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));

function isQuotaError(error: unknown): boolean {
  return (
    (error instanceof DOMException && error.name === 'QuotaExceededError') ||
    (error instanceof Error && /quota/i.test(`${error.name} ${error.message}`))
  );
}

/** "bytes 100-199/1000" → { start: 100, total: 1000 } */
function parseContentRange(header: string | null): { start: number; total: number | undefined } | undefined {
  const match = /^bytes (\d+)-\d+\/(\d+|\*)$/.exec(header ?? '');
  if (!match) return undefined;
  return { start: Number(match[1]), total: match[2] === '*' ? undefined : Number(match[2]) };
}

/**
 * Hex SHA-256 of a stored file, read one slice at a time, so verifying a 2 GB model holds one
 * slice in memory rather than the whole file (WebCrypto has no incremental digest; hash-wasm
 * does, and is loaded only when a file is verified, never with the first paint).
 */
async function newSha256() {
  const { createSHA256 } = await import('hash-wasm');
  const hasher = await createSHA256();
  hasher.init();
  return hasher;
}

export const sha256Hex = (blob: Blob, sliceBytes = DEFAULT_CHUNK_SIZE): Promise<string> =>
  sha256Of({ size: blob.size, read: blobByteSource(blob) }, sliceBytes);

async function sha256Of(file: StoredBytes, sliceBytes = DEFAULT_CHUNK_SIZE): Promise<string> {
  const hasher = await newSha256();
  for (let at = 0; at < file.size; at += sliceBytes) hasher.update(await file.read(at, sliceBytes));
  return hasher.digest('hex');
}

/** Checks a complete stored file; throws a DownloadError saying what is wrong with it. */
async function verifyStoredFile(
  file: StoredBytes,
  expectedSha256: string | undefined,
  /** The digest of the bytes as they arrived, when all of them arrived in this attempt. */
  arrivedSha256?: string,
): Promise<GgufSummary> {
  if (!hasGgufMagic(await file.read(0, 4))) throw notGguf();
  let header: Awaited<ReturnType<typeof readGgufHeader>>;
  try {
    header = await readGgufHeader(file.read, { skipArrays: true });
  } catch (error) {
    if (!(error instanceof GgufError)) throw error;
    throw new DownloadError(
      error.kind === 'truncated' ? 'truncated' : 'not-gguf',
      error.kind === 'truncated' ? `The model file is incomplete: ${error.message}` : error.message,
    );
  }
  if (header.expectedSize !== undefined && file.size < header.expectedSize) {
    throw new DownloadError(
      'truncated',
      `The model file is incomplete: ${mb(file.size)} of the ${mb(header.expectedSize)} its header describes.`,
    );
  }
  if (expectedSha256 && (arrivedSha256 ?? (await sha256Of(file))) !== expectedSha256.toLowerCase()) {
    throw new DownloadError('hash-mismatch', 'The downloaded file does not match its published checksum (SHA-256).');
  }
  return summarizeGguf(header);
}

/** The stored file for the checks: the sink's own reader where it has one, else its Blob. */
async function storedBytesOf(sink: ChunkSink, modelId: string): Promise<StoredBytes> {
  if (sink.openStored) return sink.openStored(modelId);
  const blob = await sink.readFile(modelId);
  const read: ByteSource = blobByteSource(blob);
  return { size: blob.size, read };
}

export async function downloadGgufFile(request: DownloadRequest): Promise<DownloadedFile> {
  try {
    return await downloadOnce(request);
  } catch (error) {
    if (!(error instanceof FileChanged)) throw error;
    // The stored bytes belong to an older version of the file: they were dropped; start over.
    return downloadOnce({ ...request, resume: request.resume && { ...request.resume, state: error.state } });
  }
}

/** The server's file is not the one the stored bytes came from (its ETag changed). */
class FileChanged extends Error {
  constructor(readonly state: PartState) {
    super('The file changed on the server.');
  }
}

async function downloadOnce(request: DownloadRequest): Promise<DownloadedFile> {
  const { url, modelId, sink, signal, resume } = request;
  const fetchFn = request.fetch ?? globalThis.fetch.bind(globalThis);
  const chunkSize = request.chunkSize ?? DEFAULT_CHUNK_SIZE;
  const state: PartState = resume ? { ...resume.state } : { storedBytes: 0, chunkCount: 0 };
  const aborted = () => new DownloadError('aborted', 'The download was cancelled.');

  /** Drops every stored byte of this file (failed verification, cancel, plain-mode failure). */
  const discard = async () => {
    await sink.discardChunks(modelId);
    state.storedBytes = 0;
    state.chunkCount = 0;
  };

  try {
    // A file store knows how much it holds: go on from there (a checkpoint may be behind it, as
    // the sink checkpoints only now and then, or the page closed between a write and its record).
    if (resume && sink.storedBytes) {
      const stored = await sink.storedBytes(modelId);
      if (stored !== state.storedBytes) state.storedBytes = stored;
    }
    // `bytes=N-` is a CORS-safelisted Range, so no preflight; If-Range is not, so the ETag is
    // compared after the answer instead.
    const headers: Record<string, string> = {};
    if (state.storedBytes > 0) headers.Range = `bytes=${state.storedBytes}-`;
    let response: Response;
    try {
      response = await fetchFn(url, { signal, cache: 'no-store', headers });
    } catch (error) {
      if (signal?.aborted) throw aborted();
      throw new DownloadError(
        'unreachable',
        `Could not reach ${url.host}. Check the address and your connection (${describe(error)}).`,
        resume !== undefined && state.storedBytes > 0,
      );
    }

    // Where this response's body starts in the file.
    let offset = 0;
    let totalBytes: number | undefined;
    const lengthHeader = response.headers.get('content-length');
    const length = lengthHeader !== null && /^\d+$/.test(lengthHeader) ? Number(lengthHeader) : undefined;
    const etag = response.headers.get('etag');
    if (response.status === 206 && state.etag && etag && etag !== state.etag) {
      response.body?.cancel().catch(() => undefined);
      await discard();
      throw new FileChanged({ storedBytes: 0, chunkCount: 0 });
    }
    if (response.status === 206) {
      const range = parseContentRange(response.headers.get('content-range'));
      if (!range || range.start !== state.storedBytes) {
        throw new DownloadError('http-status', `The server sent the wrong part of ${url.pathname.split('/').pop()}.`);
      }
      offset = range.start;
      totalBytes = range.total ?? (length === undefined ? undefined : offset + length);
    } else if (response.status === 416 && state.totalBytes !== undefined && state.storedBytes === state.totalBytes) {
      // Everything was stored before; only the checks remain.
      offset = state.storedBytes;
      totalBytes = state.totalBytes;
    } else if (!response.ok || !response.body) {
      throw new DownloadError(
        'http-status',
        `The server answered ${response.status}${response.statusText ? ` ${response.statusText}` : ''} for ${url.pathname.split('/').pop() || url.href}.`,
      );
    } else {
      // 200: the whole file (the server ignored Range, or the file changed): start over.
      if (state.storedBytes > 0 || state.chunkCount > 0) await discard();
      totalBytes = length;
    }
    const refusal = totalBytes === undefined ? undefined : await request.refuseSize?.(totalBytes);
    if (refusal) {
      response.body?.cancel().catch(() => undefined);
      throw new DownloadError('too-large', refusal);
    }
    if (offset === 0 && resume && state.chunkCount === 0) await sink.discardChunks(modelId);
    // A chunk stored after the last checkpoint (e.g. the page closed in between) is overwritten.
    if (offset > 0) await sink.discardChunksFrom(modelId, state.chunkCount, state.storedBytes);
    state.totalBytes = totalBytes;
    if (etag && !etag.startsWith('W/')) state.etag = etag;

    let received = offset;
    // Hashed as the bytes arrive when the whole file comes in this response, so checking it does
    // not read the stored file again; a resumed file is hashed from storage at the end.
    const hasher = request.sha256 && offset === 0 ? await newSha256() : undefined;
    let checkpointedAt = state.storedBytes;
    const checkpoint = async ({ always }: { always: boolean }) => {
      if (!resume) return;
      if (!always && state.storedBytes - checkpointedAt < (sink.checkpointBytes ?? 0)) return;
      checkpointedAt = state.storedBytes;
      await resume.onCheckpoint({ ...state });
    };
    const store = async (bytes: Uint8Array) => {
      // Read now: once the sink has the bytes, the next read refills (or may detach) their buffer.
      const size = bytes.length;
      try {
        await sink.putChunk(modelId, state.chunkCount, bytes, state.storedBytes);
      } catch (error) {
        if (isQuotaError(error)) {
          throw new DownloadError(
            'quota-exceeded',
            `The browser has no room left for this model (${describe(error)}).`,
          );
        }
        throw new DownloadError('storage-failed', `Could not store the model: ${describe(error)}`);
      }
      state.chunkCount++;
      state.storedBytes += size;
      await checkpoint({ always: false });
    };
    // The body is read into one buffer of `chunkSize`, reused for the whole file: the sink reads
    // a full buffer before its write returns a promise, so the next bytes arrive into the same
    // memory while that write runs (never more than one in flight). A sink that takes pieces
    // (ChunkSink.takesPieces) is handed them as they arrive instead, and needs no buffer.
    let buffer = new ArrayBuffer(sink.takesPieces ? 0 : chunkSize);
    let filled = 0;
    let writing: Promise<void> | undefined;
    const writeFilled = async ({ wait }: { wait: boolean }) => {
      await writing;
      writing = undefined;
      if (filled > 0) {
        writing = store(new Uint8Array(buffer, 0, filled));
        filled = 0;
        // Its failure is handled where it is awaited (next write, or the catch below).
        writing.catch(() => undefined);
      }
      if (wait) {
        await writing;
        writing = undefined;
      }
    };
    // Progress about 200 times per file (or every 4 MB): enough for a smooth bar, without a page
    // update per network packet.
    const progressStep = Math.min(4 * 1024 * 1024, (totalBytes ?? Infinity) / 200);
    let reportedAt = -Infinity;
    const settle = () => writing?.catch(() => undefined);

    /** Bookkeeping for bytes just arrived; refuses a wrong file at its first bytes. */
    const arrived = (bytes: Uint8Array) => {
      if (received === 0 && bytes.length >= 4 && !hasGgufMagic(bytes)) throw notGguf();
      received += bytes.length;
      hasher?.update(bytes);
      if (received - reportedAt >= progressStep || received === totalBytes) {
        reportedAt = received;
        request.onProgress?.({ receivedBytes: received, totalBytes });
      }
    };
    /** The connection broke: plain mode fails; resumable mode keeps what was stored, to go on from. */
    const broke = async (error: unknown, storeWhatArrived: () => Promise<void>) => {
      if (signal?.aborted) return aborted();
      const message = `The connection to ${url.host} broke after ${mb(received)} (${describe(error)}).`;
      if (!resume) return new DownloadError('unreachable', message);
      await storeWhatArrived();
      await checkpoint({ always: true });
      return new DownloadError('unreachable', message, true);
    };

    if (response.status !== 416 && response.body) {
      const body = bodyBytes(response.body);
      try {
        if (sink.takesPieces) {
          // Each piece is stored as it arrives, straight from the reader's staging buffer.
          for (;;) {
            let piece: Uint8Array | undefined;
            try {
              piece = await body.next();
            } catch (error) {
              throw await broke(error, async () => undefined);
            }
            if (!piece) break;
            if (signal?.aborted) throw aborted();
            arrived(piece);
            await store(piece);
          }
        } else {
          for (;;) {
            let step: Awaited<ReturnType<typeof body.read>>;
            try {
              step = await body.read(buffer, filled);
            } catch (error) {
              // Keep what arrived: it is a valid prefix of the file.
              throw await broke(error, () => writeFilled({ wait: true }));
            }
            buffer = step.buffer;
            if (step.done) break;
            // A fetch whose body does not end on abort must not outrun the cancel.
            if (signal?.aborted) throw aborted();
            arrived(new Uint8Array(buffer, filled, step.bytes));
            filled += step.bytes;
            if (filled === buffer.byteLength) await writeFilled({ wait: false });
          }
        }
      } finally {
        body.cancel(); // may already be closed or errored; nothing to free then
        await settle(); // a write still running must end before anything is discarded or kept
      }
      await writeFilled({ wait: true });
      if (received !== reportedAt) request.onProgress?.({ receivedBytes: received, totalBytes });
    }

    if (totalBytes !== undefined && received !== totalBytes) {
      throw new DownloadError('truncated', `The download stopped early: ${mb(received)} of ${mb(totalBytes)} arrived.`);
    }
    const file = await storedBytesOf(sink, modelId);
    if (file.size !== received) {
      throw new DownloadError('truncated', `The stored copy is incomplete: ${mb(file.size)} of ${mb(received)}.`);
    }
    const summary = await verifyStoredFile(file, request.sha256, hasher?.digest('hex'));
    return { sizeBytes: file.size, chunkCount: state.chunkCount, summary };
  } catch (error) {
    if (error instanceof FileChanged) throw error;
    const keep = error instanceof DownloadError && error.resumable;
    if (!keep) await discard();
    throw error;
  }
}
