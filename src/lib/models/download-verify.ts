/**
 * The checks a downloaded GGUF file passes before anyone may use it: GGUF's magic first, a header
 * whose tensor table fits inside the file, and the published SHA-256 where one is known.
 */
import { blobByteSource, GgufError, hasGgufMagic, readGgufHeader, summarizeGguf, type GgufSummary } from './gguf';
import type { ChunkSink, StoredBytes } from './storage';
import { DownloadError } from './download-error';

export const DEFAULT_CHUNK_SIZE = 8 * 1024 * 1024;

export const notGguf = () =>
  new DownloadError('not-gguf', 'This file is not a GGUF model (it does not start with “GGUF”).');

export const mb = (bytes: number) => `${(bytes / 1_000_000).toFixed(1)} MB`;

/**
 * An incremental SHA-256: WebCrypto has no incremental digest, hash-wasm does, and it is loaded
 * only when a file is verified, never with the first paint.
 */
export async function newSha256() {
  const { createSHA256 } = await import('hash-wasm');
  const hasher = await createSHA256();
  hasher.init();
  return hasher;
}

/** Hex SHA-256 of a stored file, read one slice at a time so a 2 GB model is never held whole. */
export const sha256Hex = (blob: Blob, sliceBytes = DEFAULT_CHUNK_SIZE): Promise<string> =>
  sha256Of({ size: blob.size, read: blobByteSource(blob) }, sliceBytes);

async function sha256Of(file: StoredBytes, sliceBytes = DEFAULT_CHUNK_SIZE): Promise<string> {
  const hasher = await newSha256();
  for (let at = 0; at < file.size; at += sliceBytes) hasher.update(await file.read(at, sliceBytes));
  return hasher.digest('hex');
}

/** Checks a complete stored file; throws a DownloadError saying what is wrong with it. */
export async function verifyStoredFile(
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
export async function storedBytesOf(sink: ChunkSink, modelId: string): Promise<StoredBytes> {
  if (sink.openStored) return sink.openStored(modelId);
  const blob = await sink.readFile(modelId);
  return { size: blob.size, read: blobByteSource(blob) };
}
