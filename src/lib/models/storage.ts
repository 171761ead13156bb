/**
 * Where models live on the device, bytes and records apart. The records are in IndexedDB. A GGUF
 * file's bytes are one file per part in the Origin Private File System (`storage: 'opfs'`), or,
 * for models stored before that (and in browsers without OPFS sync handles), Blob chunks keyed
 * `[modelId, index]` in IndexedDB; both are read. A record is written only after every byte is
 * stored and checked, so a half-written file is never listed as a model. Used from the page
 * (downloads) and from engine workers (loading).
 */
import { createStore, del, entries, get, promisifyRequest, set, type UseStore } from 'idb-keyval';
import { migrateRecord, type MigrationTable } from '../storage/migrations';
import { readOpfsFile, removeOpfsFile } from './opfs-files';
import type { ByteSource } from './gguf';

/** Version 2 drops `chunkCount` (never read: the chunk store is read by key range). */
export const MODEL_RECORD_VERSION = 2;

/**
 * Model records by the version they start from. Version 0 (no version) predates the first
 * release and has no known shape: such a record is counted as unreadable, never guessed at.
 */
export const MODEL_MIGRATIONS: MigrationTable = {
  1: (record) => {
    const next = { ...record };
    delete next.chunkCount;
    return next;
  },
};

/** Where a GGUF model's bytes are: OPFS files, or (absent: every record before OPFS) IDB chunks. */
export type ModelBytesStore = 'opfs' | 'idb';

/** A GGUF model whose bytes we stored ourselves (OPFS files, or chunks in `nook-model-chunks`). */
export interface StoredGgufModel {
  schemaVersion: typeof MODEL_RECORD_VERSION;
  id: string;
  /** Display name: the model's own metadata name, else the file name. */
  name: string;
  /** Where it was downloaded from (the first part, for a split model). */
  sourceUrl: string;
  backend: 'wllama';
  sizeBytes: number;
  /** Sizes of the parts of a split GGUF, in order; absent for a single file. */
  partSizes?: number[];
  /** Absent means `idb` (records written before model files moved to OPFS). */
  storage?: ModelBytesStore;
  architecture: string | undefined;
  /** Training context of the model, in tokens. */
  contextLength: number | undefined;
  addedAt: number;
}

/**
 * An MLC model whose shards web-llm cached in its own IndexedDB databases. Written once web-llm
 * has fetched every shard and loaded the model, so a listed record means "ready offline".
 */
export interface StoredMlcModel {
  schemaVersion: typeof MODEL_RECORD_VERSION;
  /** web-llm's model_id. */
  id: string;
  name: string;
  backend: 'web-llm';
  sourceUrl: string;
  modelLibUrl: string;
  vramRequiredMB: number | undefined;
  /** Estimated from the catalog: web-llm does not report the size of its cache. */
  sizeBytes: number;
  contextLength: number | undefined;
  addedAt: number;
}

export type StoredModel = StoredGgufModel | StoredMlcModel;

/** A stored file as the download's checks read it: its size, and its bytes by range. */
export interface StoredBytes {
  size: number;
  read: ByteSource;
}

/** Where a download writes its chunks; an interface so the download logic is testable in Node. */
export interface ChunkSink {
  /**
   * Stores chunk `index`, the bytes of the file from byte `at` on. The sink must have read (or
   * copied) `bytes` before this returns its promise: the downloader reuses that buffer for the
   * next bytes as soon as it does.
   */
  putChunk(modelId: string, index: number, bytes: Uint8Array, at: number): Promise<void>;
  /** Removes every chunk of the model (a failed or cancelled download). */
  discardChunks(modelId: string): Promise<void>;
  /** Removes chunks `fromIndex` and later, i.e. bytes from `fromByte` on (after the last checkpoint). */
  discardChunksFrom(modelId: string, fromIndex: number, fromByte: number): Promise<void>;
  readFile(modelId: string): Promise<Blob>;
  /**
   * Bytes really stored, where the sink can tell (a file's size): a resumed download goes on from
   * there rather than from its last checkpoint. Absent: the checkpoint is the truth.
   */
  storedBytes?(modelId: string): Promise<number>;
  /** Bytes between two checkpoints; 0 or absent: a checkpoint after every chunk. */
  checkpointBytes?: number;
  /**
   * `putChunk` stores bytes of any size before it returns (a sync handle): the downloader then
   * hands it each piece as the network delivers it instead of copying pieces into `chunkSize`
   * buffers first, as small writes to a sync handle cost less per byte than big ones
   * (docs/decisions/0007-download-writes-network-pieces.md).
   */
  takesPieces?: boolean;
  /** A faster reader of the stored file than its Blob, where the sink has one (a sync handle). */
  openStored?(modelId: string): Promise<StoredBytes>;
}

let recordStore: UseStore | undefined;
let chunkStore: UseStore | undefined;
const records = () => (recordStore ??= createStore('nook-models', 'records'));
const chunks = () => (chunkStore ??= createStore('nook-model-chunks', 'chunks'));

const chunkRange = (modelId: string, from = 0) =>
  IDBKeyRange.bound([modelId, from], [modelId, Number.MAX_SAFE_INTEGER]);

export const idbChunkSink: ChunkSink = {
  // The Blob copies the bytes at once, as putChunk must.
  putChunk: (modelId, index, bytes) => set([modelId, index], new Blob([bytes as BlobPart]), chunks()),
  discardChunks: (modelId) => chunks()('readwrite', (store) => promisifyRequest(store.delete(chunkRange(modelId)))),
  discardChunksFrom: (modelId, fromIndex) =>
    chunks()('readwrite', (store) => promisifyRequest(store.delete(chunkRange(modelId, fromIndex)))),
  async readFile(modelId) {
    const parts = await chunks()('readonly', (store) => promisifyRequest(store.getAll(chunkRange(modelId))));
    return new Blob(parts as Blob[]);
  },
};

/** A stored value as a current model record, or undefined when this version cannot read it. */
function readRecord(key: IDBValidKey, raw: unknown): { model: StoredModel; migrated: boolean } | undefined {
  const migrated = migrateRecord(raw, MODEL_RECORD_VERSION, MODEL_MIGRATIONS);
  if (!migrated.ok) return undefined;
  const record = migrated.record;
  const known = record.backend === 'wllama' || record.backend === 'web-llm';
  if (!known || record.id !== key || typeof record.name !== 'string') return undefined;
  return { model: record as unknown as StoredModel, migrated: migrated.migrated };
}

export interface LoadedModels {
  models: StoredModel[];
  /** Records left in storage because this version cannot read them (e.g. from a newer Nook). */
  unreadable: number;
}

/** Every readable model record, newest first; old records are migrated and written back. */
export async function readModels(): Promise<LoadedModels> {
  const result: LoadedModels = { models: [], unreadable: 0 };
  for (const [key, raw] of await entries<IDBValidKey, unknown>(records())) {
    const read = readRecord(key, raw);
    if (!read) {
      result.unreadable++;
      continue;
    }
    if (read.migrated) await set(key, read.model, records());
    result.models.push(read.model);
  }
  result.models.sort((a, b) => b.addedAt - a.addedAt);
  return result;
}

export const listModels = async (): Promise<StoredModel[]> => (await readModels()).models;

export async function getModel(id: string): Promise<StoredModel | undefined> {
  const raw = await get<unknown>(id, records());
  return raw === undefined ? undefined : readRecord(id, raw)?.model;
}

export const saveModel = (record: StoredModel) => set(record.id, record, records());

/**
 * Removes the record first, so an interrupted delete never leaves a listed model without bytes.
 * (An MLC model's shards are web-llm's; the caller deletes them through the engine.)
 */
export async function deleteModel(id: string): Promise<void> {
  const record = await getModel(id);
  await del(id, records());
  const parts = record?.backend === 'wllama' ? (record.partSizes?.length ?? 1) : 1;
  for (let index = 0; index < parts; index++) {
    const storeId = partStoreId(id, index);
    if (record?.backend === 'wllama' && record.storage === 'opfs') await removeOpfsFile(storeId);
    else await idbChunkSink.discardChunks(storeId);
  }
}

/** Chunk-store id of part `index` of a split GGUF (part 0 keeps the model id). */
export const partStoreId = (modelId: string, index: number) => (index === 0 ? modelId : `${modelId}#${index}`);

/** The sizes of a GGUF model's file(s), in order, as its record has them. */
const partSizesOf = (record: StoredGgufModel) => record.partSizes ?? [record.sizeBytes];

/** The store ids of a GGUF model's file(s), in order. */
export const partStoreIds = (record: StoredGgufModel) =>
  partSizesOf(record).map((_, index) => partStoreId(record.id, index));

/** The stored file(s) of a GGUF model, in order, checked against its record. */
export async function readModelFiles(record: StoredGgufModel): Promise<Blob[]> {
  const sizes = partSizesOf(record);
  const files: Blob[] = [];
  for (const [index, size] of sizes.entries()) {
    const storeId = partStoreId(record.id, index);
    const file = record.storage === 'opfs' ? await readOpfsFile(storeId) : await idbChunkSink.readFile(storeId);
    if (file.size !== size) {
      throw new Error(`The stored copy of ${record.name} is incomplete (${file.size} of ${size} bytes).`);
    }
    files.push(file);
  }
  return files;
}
