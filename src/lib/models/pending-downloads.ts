/**
 * Downloads not finished yet: their records (`nook-downloads`, apart from the finished models so a
 * half-written file is never listed as a model) and how far each got. Read at start-up; the
 * download itself (add-model) loads only when one runs.
 */
import { createStore, values, type UseStore } from 'idb-keyval';
import type { PartState } from './download-types';
import { readOpfsFile } from './opfs-files';
import { partStoreId, type ModelBytesStore } from './storage';

export const DOWNLOAD_RECORD_VERSION = 1;

/** A download that has not finished yet (running, broken off, or interrupted by a reload). */
export interface PendingDownload {
  schemaVersion: typeof DOWNLOAD_RECORD_VERSION;
  /** The id the model will have. */
  id: string;
  /** Display name until the header says better: the catalog name or the file name. */
  name: string;
  /** Address of the first part, as the user or the catalog gave it. */
  sourceUrl: string;
  partUrls: string[];
  parts: (PartState & { verified?: boolean })[];
  sha256?: (string | undefined)[];
  /** Where its bytes go; absent (downloads begun before OPFS) means IndexedDB. */
  storage?: ModelBytesStore;
  startedAt: number;
}

let downloadStore: UseStore | undefined;
export const downloadRecords = () => (downloadStore ??= createStore('nook-downloads', 'downloads'));

export async function listDownloads(): Promise<PendingDownload[]> {
  const all = await values<PendingDownload>(downloadRecords());
  const current = all.filter((d) => d.schemaVersion === DOWNLOAD_RECORD_VERSION);
  // An OPFS download checkpoints only now and then: its files say how far it really got.
  await Promise.all(current.filter((d) => d.storage === 'opfs').map(withStoredSizes));
  return current.sort((a, b) => a.startedAt - b.startedAt);
}

async function withStoredSizes(pending: PendingDownload): Promise<void> {
  await Promise.all(
    pending.parts.map(async (part, index) => {
      if (part.verified) return;
      const size = (await readOpfsFile(partStoreId(pending.id, index)).catch(() => undefined))?.size;
      if (size !== undefined && size > part.storedBytes) part.storedBytes = size;
    }),
  );
}

export const storedBytesOf = (pending: PendingDownload) => pending.parts.reduce((sum, p) => sum + p.storedBytes, 0);

export function totalBytesOf(pending: PendingDownload): number | undefined {
  let total = 0;
  for (const part of pending.parts) {
    if (part.totalBytes === undefined) return undefined;
    total += part.totalBytes;
  }
  return total;
}
