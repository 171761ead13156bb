/**
 * One attempt's request for a GGUF file and what its answer means: a Range request for the rest
 * when bytes are stored, and the status read as where the body starts in the file, or as the
 * file having changed on the server (its stored bytes are then dropped).
 */
import type { DownloadRequest, PartState } from './download-types';
import { DownloadError } from './download-error';

export interface FileResponse {
  response: Response;
  /** Where the body starts in the file. */
  offset: number;
  totalBytes: number | undefined;
  /** Everything was stored before (416 to a Range past the end): only the checks remain. */
  complete: boolean;
  etag: string | null;
}

/** The server's file is not the one the stored bytes came from (its ETag changed). */
export class FileChanged extends Error {
  constructor(readonly state: PartState) {
    super('The file changed on the server.');
  }
}

export const describeError = (error: unknown) => (error instanceof Error ? error.message : String(error));

export const cancelledDownload = () => new DownloadError('aborted', 'The download was cancelled.');

/** "bytes 100-199/1000" → { start: 100, total: 1000 } */
function parseContentRange(header: string | null): { start: number; total: number | undefined } | undefined {
  const match = /^bytes (\d+)-\d+\/(\d+|\*)$/.exec(header ?? '');
  if (!match) return undefined;
  return { start: Number(match[1]), total: match[2] === '*' ? undefined : Number(match[2]) };
}

const fileNameOf = (url: URL) => url.pathname.split('/').pop();

/**
 * Asks for the file from `state.storedBytes` on. `discard` drops the stored bytes (a 200 to a
 * Range request, or a changed file).
 */
export async function requestFile(
  request: DownloadRequest,
  state: PartState,
  discard: () => Promise<void>,
): Promise<FileResponse> {
  const { url, signal, resume, sink, modelId } = request;
  const fetchFn = request.fetch ?? globalThis.fetch.bind(globalThis);
  // A file store knows how much it holds: go on from there (a checkpoint may be behind it, as
  // the sink checkpoints only now and then, or the page closed between a write and its record).
  if (resume && sink.storedBytes) state.storedBytes = await sink.storedBytes(modelId);
  // `bytes=N-` is a CORS-safelisted Range, so no preflight; If-Range is not, so the ETag is
  // compared after the answer instead.
  const headers: Record<string, string> = {};
  if (state.storedBytes > 0) headers.Range = `bytes=${state.storedBytes}-`;
  let response: Response;
  try {
    response = await fetchFn(url, { signal, cache: 'no-store', headers });
  } catch (error) {
    if (signal?.aborted) throw cancelledDownload();
    throw new DownloadError(
      'unreachable',
      `Could not reach ${url.host}. Check the address and your connection (${describeError(error)}).`,
      resume !== undefined && state.storedBytes > 0,
    );
  }

  const lengthHeader = response.headers.get('content-length');
  const length = lengthHeader !== null && /^\d+$/.test(lengthHeader) ? Number(lengthHeader) : undefined;
  const etag = response.headers.get('etag');
  const answer = { response, etag, complete: false };
  if (response.status === 206 && state.etag && etag && etag !== state.etag) {
    response.body?.cancel().catch(() => undefined);
    await discard();
    throw new FileChanged({ storedBytes: 0, chunkCount: 0 });
  }
  if (response.status === 206) {
    const range = parseContentRange(response.headers.get('content-range'));
    if (!range || range.start !== state.storedBytes) {
      throw new DownloadError('http-status', `The server sent the wrong part of ${fileNameOf(url)}.`);
    }
    const totalBytes = range.total ?? (length === undefined ? undefined : range.start + length);
    return { ...answer, offset: range.start, totalBytes };
  }
  if (response.status === 416 && state.totalBytes !== undefined && state.storedBytes === state.totalBytes) {
    return { ...answer, offset: state.storedBytes, totalBytes: state.totalBytes, complete: true };
  }
  if (!response.ok || !response.body) {
    throw new DownloadError(
      'http-status',
      `The server answered ${response.status}${response.statusText ? ` ${response.statusText}` : ''} for ${fileNameOf(url) || url.href}.`,
    );
  }
  // 200: the whole file (the server ignored Range, or the file changed): start over.
  if (state.storedBytes > 0 || state.chunkCount > 0) await discard();
  return { ...answer, offset: 0, totalBytes: length };
}
