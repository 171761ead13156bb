/**
 * Downloads one GGUF file into chunked storage with progress, and proves it complete before anyone
 * may use it: the first bytes must be GGUF's magic, the length must match what the server
 * announced, the header's tensor table must fit inside the file, and the SHA-256 must match where
 * one is known (download-verify).
 *
 * Two modes. Plain (no `resume`): any failure or cancel removes the chunks written. Resumable
 * (`resume` given): the download starts after the bytes already stored, asking the server for the
 * rest with an HTTP Range request (download-response); every stored chunk is reported to
 * `onCheckpoint` so the caller can persist how far it got (download-writer); and when the
 * connection breaks, what arrived is kept so the next attempt goes on from there. A file that
 * fails verification is always removed.
 */
import { DownloadError } from './download-error';
import { FileChanged, requestFile } from './download-response';
import type { DownloadedFile, DownloadRequest, PartState } from './download-types';
import { mb, storedBytesOf, verifyStoredFile } from './download-verify';
import { PartWriter } from './download-writer';

/**
 * A User Timing mark of a download's step (`nook:download:<step>`), in the realm that runs it: the
 * bench splits a download's time into its steps with them (bench/lib/real.mjs).
 */
export const markDownload = (step: string) => void performance.mark(`nook:download:${step}`);

export async function downloadGgufFile(request: DownloadRequest): Promise<DownloadedFile> {
  try {
    return await downloadOnce(request);
  } catch (error) {
    if (!(error instanceof FileChanged)) throw error;
    // The stored bytes belong to an older version of the file: they were dropped; start over.
    return downloadOnce({ ...request, resume: request.resume && { ...request.resume, state: error.state } });
  }
}

async function downloadOnce(request: DownloadRequest): Promise<DownloadedFile> {
  const { modelId, sink, resume } = request;
  const state: PartState = resume ? { ...resume.state } : { storedBytes: 0, chunkCount: 0 };
  /** Drops every stored byte of this file (failed verification, cancel, plain-mode failure). */
  const discard = async () => {
    await sink.discardChunks(modelId);
    state.storedBytes = 0;
    state.chunkCount = 0;
  };

  try {
    const { response, offset, totalBytes, complete, etag } = await requestFile(request, state, discard);
    markDownload('response');
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

    const writer = await PartWriter.open(request, state, offset, totalBytes);
    if (!complete && response.body) await writer.write(response.body);
    markDownload('body');
    const received = writer.received;
    if (totalBytes !== undefined && received !== totalBytes) {
      throw new DownloadError('truncated', `The download stopped early: ${mb(received)} of ${mb(totalBytes)} arrived.`);
    }
    const file = await storedBytesOf(sink, modelId);
    if (file.size !== received) {
      throw new DownloadError('truncated', `The stored copy is incomplete: ${mb(file.size)} of ${mb(received)}.`);
    }
    const summary = await verifyStoredFile(file, request.sha256, writer.arrivedSha256());
    markDownload('checked');
    return { sizeBytes: file.size, chunkCount: state.chunkCount, summary };
  } catch (error) {
    if (error instanceof FileChanged) throw error;
    const keep = error instanceof DownloadError && error.resumable;
    if (!keep) await discard();
    throw error;
  }
}
