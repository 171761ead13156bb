/**
 * Downloads a GGUF file into chunked storage with progress, and proves it complete before anyone
 * may use it: the first bytes must be GGUF's magic, the length must match what the server
 * announced, and the header's tensor table must fit inside the file. On any failure or cancel
 * the chunks already written are removed, so nothing half-written stays behind.
 */
import { blobByteSource, GgufError, hasGgufMagic, readGgufHeader, type GgufHeader } from './gguf';
import type { ChunkSink } from './storage';

export type DownloadErrorCode =
  | 'invalid-url'
  | 'already-stored'
  | 'unreachable'
  | 'http-status'
  | 'not-gguf'
  | 'truncated'
  | 'aborted'
  | 'storage-failed';

export class DownloadError extends Error {
  override name = 'DownloadError';
  readonly code: DownloadErrorCode;
  constructor(code: DownloadErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

export interface DownloadProgress {
  receivedBytes: number;
  /** From Content-Length; undefined when the server does not say. */
  totalBytes: number | undefined;
}

export interface DownloadRequest {
  url: URL;
  modelId: string;
  sink: ChunkSink;
  signal?: AbortSignal;
  onProgress?: (progress: DownloadProgress) => void;
  fetch?: typeof globalThis.fetch;
  /** Bytes per stored chunk. */
  chunkSize?: number;
}

export interface DownloadedFile {
  sizeBytes: number;
  chunkCount: number;
  header: GgufHeader;
}

export const DEFAULT_CHUNK_SIZE = 16 * 1024 * 1024;

/** Parses what the user typed as a model address; only http(s) URLs are accepted. */
export function parseModelUrl(input: string): URL {
  const text = input.trim();
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new DownloadError(
      'invalid-url',
      `“${text || '(empty)'}” is not a web address. Paste a full URL such as https://example.org/model.gguf.`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new DownloadError('invalid-url', `Only http and https addresses can be downloaded, not ${url.protocol}.`);
  }
  return url;
}

const notGguf = () => new DownloadError('not-gguf', 'This file is not a GGUF model (it does not start with “GGUF”).');

const mb = (bytes: number) => `${(bytes / 1_000_000).toFixed(1)} MB`;

export async function downloadGgufFile(request: DownloadRequest): Promise<DownloadedFile> {
  const { url, modelId, sink, signal } = request;
  const fetchFn = request.fetch ?? globalThis.fetch.bind(globalThis);
  const chunkSize = request.chunkSize ?? DEFAULT_CHUNK_SIZE;

  let response: Response;
  try {
    response = await fetchFn(url, { signal, cache: 'no-store' });
  } catch (error) {
    if (signal?.aborted) throw new DownloadError('aborted', 'The download was cancelled.');
    throw new DownloadError(
      'unreachable',
      `Could not reach ${url.host}. Check the address and your connection (${error instanceof Error ? error.message : String(error)}).`,
    );
  }
  if (!response.ok || !response.body) {
    throw new DownloadError(
      'http-status',
      `The server answered ${response.status}${response.statusText ? ` ${response.statusText}` : ''} for ${url.pathname.split('/').pop() || url.href}.`,
    );
  }
  const lengthHeader = response.headers.get('content-length');
  const totalBytes = lengthHeader !== null && /^\d+$/.test(lengthHeader) ? Number(lengthHeader) : undefined;

  let received = 0;
  let chunkCount = 0;
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  const flush = async () => {
    if (pendingBytes === 0) return;
    const blob = new Blob(pending as BlobPart[]);
    pending = [];
    pendingBytes = 0;
    try {
      await sink.putChunk(modelId, chunkCount, blob);
    } catch (error) {
      throw new DownloadError(
        'storage-failed',
        `Could not store the model: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    chunkCount++;
  };

  const reader = response.body.getReader();
  try {
    for (;;) {
      let step: ReadableStreamReadResult<Uint8Array>;
      try {
        step = await reader.read();
      } catch (error) {
        if (signal?.aborted) throw new DownloadError('aborted', 'The download was cancelled.');
        throw new DownloadError(
          'unreachable',
          `The connection to ${url.host} broke after ${mb(received)} (${error instanceof Error ? error.message : String(error)}).`,
        );
      }
      if (step.done) break;
      const bytes = step.value;
      // Refuse a wrong file at its first bytes rather than after downloading all of it.
      if (received === 0 && bytes.length >= 4 && !hasGgufMagic(bytes)) throw notGguf();
      received += bytes.length;
      pending.push(bytes);
      pendingBytes += bytes.length;
      request.onProgress?.({ receivedBytes: received, totalBytes });
      if (pendingBytes >= chunkSize) await flush();
    }
    await flush();

    if (totalBytes !== undefined && received !== totalBytes) {
      throw new DownloadError('truncated', `The download stopped early: ${mb(received)} of ${mb(totalBytes)} arrived.`);
    }
    const file = await sink.readFile(modelId);
    if (!hasGgufMagic(new Uint8Array(await file.slice(0, 4).arrayBuffer()))) {
      throw notGguf();
    }
    let header: GgufHeader;
    try {
      header = await readGgufHeader(blobByteSource(file));
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
    return { sizeBytes: file.size, chunkCount, header };
  } catch (error) {
    reader.cancel().catch(() => undefined); // the stream may already be errored; nothing to free then
    await sink.discardChunks(modelId);
    throw error;
  }
}
