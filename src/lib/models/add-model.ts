/**
 * Adding a GGUF model: a resumable download of each of its files, verified, and only then a
 * model record. How far a download got lives in pending-downloads; after a reload or a dropped
 * connection the download goes on from the bytes already stored (HTTP Range).
 */
import { del, set } from 'idb-keyval';
import { delay } from '../shared/delay';
import { ggufPartUrls } from './catalog';
import { downloadGgufFile, markDownload } from './download';
import type { DownloadedFile, DownloadProgress, DownloadRequest } from './download-types';
import { DownloadError } from './download-error';
import { parseModelUrl } from './model-url';
import { blobByteSource, readGgufHeader, summarizeGguf, type GgufSummary } from './gguf';
import {
  idbChunkSink,
  listModels,
  MODEL_RECORD_VERSION,
  partStoreId,
  saveModel,
  type ChunkSink,
  type StoredGgufModel,
} from './storage';
import { opfsFiles, opfsWritable } from './opfs-writer-client';
import { DOWNLOAD_RECORD_VERSION, downloadRecords, listDownloads, type PendingDownload } from './pending-downloads';

/** How a download's files are fetched and stored, read back, and removed. */
interface PartFiles {
  download(request: Omit<DownloadRequest, 'sink'>): Promise<DownloadedFile>;
  readFile(storeId: string): Promise<Blob>;
  discard(storeId: string): Promise<void>;
}

/** Downloads in the page into a sink (IndexedDB, or a test's fake). */
const inPage = (sink: ChunkSink): PartFiles => ({
  download: (request) => downloadGgufFile({ ...request, sink }),
  readFile: (storeId) => sink.readFile(storeId),
  discard: (storeId) => sink.discardChunks(storeId),
});

/**
 * Where a download's files go: the store it started in, so a resumed download stays whole. An
 * OPFS download runs in the model-file worker (its own fetch); a given sink runs in the page.
 */
const filesFor = (pending: PendingDownload, sink?: ChunkSink): PartFiles =>
  sink ? inPage(sink) : pending.storage === 'opfs' ? opfsFiles : inPage(idbChunkSink);

function fileNameOf(url: URL): string {
  const last = decodeURIComponent(url.pathname.split('/').filter(Boolean).pop() ?? url.host);
  return last.replace(/(-\d{5}-of-\d{5})?\.gguf$/i, '');
}

/** Validates the address, refuses duplicates, and records a new download (nothing fetched yet). */
export async function startDownload(
  input: string,
  options: { name?: string; sha256?: (string | undefined)[] } = {},
): Promise<PendingDownload> {
  const url = parseModelUrl(input);
  const existing = (await listModels()).find((model) => model.sourceUrl === url.href);
  if (existing) {
    throw new DownloadError('already-stored', `${existing.name} from this address is already on this device.`);
  }
  const parts = ggufPartUrls(url);
  const running = (await listDownloads()).find((d) => d.partUrls.includes(url.href));
  if (running) return running; // the same download again: go on with it
  const pending: PendingDownload = {
    schemaVersion: DOWNLOAD_RECORD_VERSION,
    id: crypto.randomUUID(),
    name: options.name ?? fileNameOf(url),
    sourceUrl: parts[0]!.href,
    partUrls: parts.map(String),
    parts: parts.map(() => ({ storedBytes: 0, chunkCount: 0 })),
    ...(options.sha256 ? { sha256: options.sha256 } : {}),
    // OPFS where this browser can write it in place; IndexedDB Blobs otherwise.
    storage: (await opfsWritable()) ? 'opfs' : 'idb',
    startedAt: Date.now(),
  };
  await set(pending.id, pending, downloadRecords());
  return pending;
}

export interface RunOptions {
  signal?: AbortSignal;
  onProgress?: (progress: DownloadProgress) => void;
  /** How many times a broken connection is retried (from where it broke) before giving up. */
  retries?: number;
  retryDelayMs?: number;
  /** The fetch of a download that runs in the page (with `sink`); an OPFS download uses its worker's. */
  fetch?: typeof globalThis.fetch;
  sink?: ChunkSink;
  chunkSize?: number;
  /** Refuses a file or model the engine could not run, from the sizes the server announces. */
  refuseSize?: (sizes: { fileBytes: number; modelBytes: number }) => string | undefined;
  /**
   * While the browser is offline, resolves once it is back; undefined when it is online. A
   * connection that breaks while offline (a train in a tunnel) then waits for the network, for
   * as long as it takes, instead of using up its retries. The default reads `navigator.onLine`
   * and waits for the `online` event.
   */
  backOnline?: () => Promise<void> | undefined;
  /** Told when the download starts waiting for the network (true) and when it goes on (false). */
  onOffline?: (offline: boolean) => void;
}

/** Resolves after `ms`, or `until` settles first; rejects as cancelled on `signal`'s abort. */
async function sleep(ms: number, signal?: AbortSignal, until?: Promise<void>): Promise<void> {
  await delay(ms, signal, until);
  if (signal?.aborted) throw new DownloadError('aborted', 'The download was cancelled.');
}

/** The browser's word that it is offline, as a promise of its return; undefined when online. */
function browserBackOnline(): Promise<void> | undefined {
  if (typeof navigator === 'undefined' || navigator.onLine !== false) return undefined;
  return new Promise((resolve) => addEventListener('online', () => resolve(), { once: true }));
}

/**
 * Runs (or resumes) a download to the end. A broken connection is retried from the stored bytes;
 * if it stays broken the error says so and the download stays resumable. Any other failure, and
 * cancelling, removes the download and its bytes.
 */
export async function runDownload(pending: PendingDownload, options: RunOptions = {}): Promise<StoredGgufModel> {
  markDownload('run');
  const files = filesFor(pending, options.sink);
  const retries = options.retries ?? 3;
  const record = structuredClone(pending);
  const save = () => set(record.id, record, downloadRecords());
  const report = (partIndex: number, progress: DownloadProgress) => {
    const before = record.parts.slice(0, partIndex).reduce((sum, p) => sum + (p.totalBytes ?? p.storedBytes), 0);
    const after = record.parts.slice(partIndex + 1);
    const total =
      progress.totalBytes === undefined || after.some((p) => p.totalBytes === undefined) || partIndex < 0
        ? undefined
        : before + progress.totalBytes + after.reduce((sum, p) => sum + (p.totalBytes ?? 0), 0);
    options.onProgress?.({ receivedBytes: before + progress.receivedBytes, totalBytes: total });
  };

  const fetchFn = options.fetch ?? globalThis.fetch.bind(globalThis);
  /** Bytes of the model announced or stored, but for part `index` (which the server is announcing). */
  const otherParts = (index: number) =>
    record.parts.reduce((sum, p, i) => (i === index ? sum : sum + (p.totalBytes ?? p.storedBytes)), 0);

  /** The first part's header as the downloader verified it (re-read only if verified before a reload). */
  let firstSummary: GgufSummary | undefined;
  const fetchedSizes: (number | undefined)[] = [];
  try {
    if (options.refuseSize && record.partUrls.length > 1) await refuseSplitModel(record, fetchFn, options);
    for (const [index, url] of record.partUrls.entries()) {
      if (record.parts[index]!.verified) continue;
      /** Set once the browser said it was back online: a host not reached then is the network settling. */
      let cameBack = false;
      for (let attempt = 0; ; attempt++) {
        try {
          const file = await files.download({
            url: new URL(url),
            modelId: partStoreId(record.id, index),
            fetch: options.fetch,
            chunkSize: options.chunkSize,
            signal: options.signal,
            sha256: record.sha256?.[index],
            onProgress: (progress) => report(index, progress),
            refuseSize: (fileBytes) => options.refuseSize?.({ fileBytes, modelBytes: otherParts(index) + fileBytes }),
            resume: {
              state: record.parts[index]!,
              onCheckpoint: async (state) => {
                record.parts[index] = state;
                await save();
              },
            },
          });
          markDownload('part-stored');
          record.parts[index] = {
            ...record.parts[index]!,
            storedBytes: file.sizeBytes,
            chunkCount: file.chunkCount,
            verified: true,
          };
          if (index === 0) firstSummary = file.summary;
          fetchedSizes[index] = file.sizeBytes;
          await save();
          markDownload('part-saved');
          break;
        } catch (error) {
          const resumable = error instanceof DownloadError && error.resumable;
          // Offline, a host not reached (even on the first request) is the network, not the address.
          const network = resumable || (error instanceof DownloadError && error.code === 'unreachable');
          const back = network ? (options.backOnline ?? browserBackOnline)() : undefined;
          if (back) {
            options.onOffline?.(true);
            await sleep(Infinity, options.signal, back);
            options.onOffline?.(false);
            attempt = -1; // back online: the retries start afresh
            cameBack = true;
            continue;
          }
          // The `online` event can come before the connection carries requests (Wi-Fi rejoining):
          // a host not reached right after it is retried like a broken connection.
          if (!(resumable || (network && cameBack)) || attempt >= retries) throw error;
          await sleep((options.retryDelayMs ?? 500) * 2 ** attempt, options.signal);
        }
      }
    }

    const summary =
      firstSummary ??
      summarizeGguf(
        await readGgufHeader(blobByteSource(await files.readFile(partStoreId(record.id, 0))), { skipArrays: true }),
      );
    // The downloader's own count for parts fetched now; parts verified before a reload are measured.
    const sizes = await Promise.all(
      record.partUrls.map(async (_, i) => fetchedSizes[i] ?? (await files.readFile(partStoreId(record.id, i))).size),
    );
    const model: StoredGgufModel = {
      schemaVersion: MODEL_RECORD_VERSION,
      id: record.id,
      name: summary.name?.trim() || record.name,
      sourceUrl: record.sourceUrl,
      backend: 'wllama',
      sizeBytes: sizes.reduce((a, b) => a + b, 0),
      ...(sizes.length > 1 ? { partSizes: sizes } : {}),
      ...(record.storage === 'opfs' ? { storage: 'opfs' as const } : {}),
      architecture: summary.architecture,
      contextLength: summary.contextLength,
      addedAt: Date.now(),
    };
    try {
      // The model record is the proof of completeness: written only now, after every check.
      await saveModel(model);
      markDownload('saved');
    } catch (error) {
      throw new DownloadError(
        'storage-failed',
        `Could not store the model: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    await del(record.id, downloadRecords());
    return model;
  } catch (error) {
    if (!(error instanceof DownloadError && error.resumable)) await discardParts(record, files);
    throw error;
  }
}

/**
 * A split model is judged by its whole size before any part is fetched: each part's size is asked
 * with a HEAD request, so three parts that each fit do not start a model that cannot. Sizes a
 * server will not tell are left to the check as each part's download starts.
 */
async function refuseSplitModel(
  record: PendingDownload,
  fetchFn: typeof globalThis.fetch,
  options: RunOptions,
): Promise<void> {
  await Promise.all(
    record.partUrls.map(async (url, index) => {
      const part = record.parts[index]!;
      if (part.totalBytes !== undefined) return;
      try {
        const response = await fetchFn(url, { method: 'HEAD', cache: 'no-store', signal: options.signal });
        const length = response.headers.get('content-length');
        if (response.ok && length !== null && /^\d+$/.test(length)) part.totalBytes = Number(length);
      } catch {
        // Not told now: the part's own download checks it when its size arrives.
      }
    }),
  );
  if (options.signal?.aborted) throw new DownloadError('aborted', 'The download was cancelled.');
  const sizes = record.parts.map((part) => part.totalBytes);
  if (sizes.some((size) => size === undefined)) return;
  const modelBytes = sizes.reduce<number>((sum, size) => sum + size!, 0);
  for (const fileBytes of sizes) {
    const refusal = options.refuseSize?.({ fileBytes: fileBytes!, modelBytes });
    if (refusal) throw new DownloadError('too-large', refusal);
  }
}

/** Removes a download and every byte it stored. */
export const discardDownload = (pending: PendingDownload, sink?: ChunkSink): Promise<void> =>
  discardParts(pending, filesFor(pending, sink));

async function discardParts(pending: PendingDownload, files: PartFiles): Promise<void> {
  await del(pending.id, downloadRecords());
  for (const index of pending.partUrls.keys()) await files.discard(partStoreId(pending.id, index));
}
