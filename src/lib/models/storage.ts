/**
 * Where models live on the device: IndexedDB, bytes and records apart. File bytes are stored as
 * Blob chunks keyed `[modelId, index]` in one database; the model records in another. A record is
 * written only after every chunk is stored and checked, so a half-written file is never listed
 * as a model. Used from the page (downloads) and from engine workers (loading).
 */
import { createStore, del, get, promisifyRequest, set, values, type UseStore } from 'idb-keyval';

export const MODEL_RECORD_VERSION = 1;

export interface StoredModel {
  schemaVersion: typeof MODEL_RECORD_VERSION;
  id: string;
  /** Display name: the model's own metadata name, else the file name. */
  name: string;
  /** Where it was downloaded from. */
  sourceUrl: string;
  backend: 'wllama';
  sizeBytes: number;
  chunkCount: number;
  architecture: string | undefined;
  /** Training context of the model, in tokens. */
  contextLength: number | undefined;
  addedAt: number;
}

/** Where a download writes its chunks; an interface so the download logic is testable in Node. */
export interface ChunkSink {
  putChunk(modelId: string, index: number, chunk: Blob): Promise<void>;
  /** Removes every chunk of the model (a failed or cancelled download). */
  discardChunks(modelId: string): Promise<void>;
  readFile(modelId: string): Promise<Blob>;
}

let recordStore: UseStore | undefined;
let chunkStore: UseStore | undefined;
const records = () => (recordStore ??= createStore('nook-models', 'records'));
const chunks = () => (chunkStore ??= createStore('nook-model-chunks', 'chunks'));

const chunkRange = (modelId: string) => IDBKeyRange.bound([modelId, 0], [modelId, Number.MAX_SAFE_INTEGER]);

export const idbChunkSink: ChunkSink = {
  putChunk: (modelId, index, chunk) => set([modelId, index], chunk, chunks()),
  discardChunks: (modelId) => chunks()('readwrite', (store) => promisifyRequest(store.delete(chunkRange(modelId)))),
  async readFile(modelId) {
    const parts = await chunks()('readonly', (store) => promisifyRequest(store.getAll(chunkRange(modelId))));
    return new Blob(parts as Blob[]);
  },
};

export async function listModels(): Promise<StoredModel[]> {
  const all = await values<StoredModel>(records());
  return all.filter((record) => record.schemaVersion === MODEL_RECORD_VERSION).sort((a, b) => b.addedAt - a.addedAt);
}

export const getModel = (id: string) => get<StoredModel>(id, records());

export const saveModel = (record: StoredModel) => set(record.id, record, records());

/** Removes the record first, so an interrupted delete never leaves a listed model without bytes. */
export async function deleteModel(id: string): Promise<void> {
  await del(id, records());
  await idbChunkSink.discardChunks(id);
}

/** The stored file of a model, checked against its record. */
export async function readModelFile(record: StoredModel): Promise<Blob> {
  const file = await idbChunkSink.readFile(record.id);
  if (file.size !== record.sizeBytes) {
    throw new Error(`The stored copy of ${record.name} is incomplete (${file.size} of ${record.sizeBytes} bytes).`);
  }
  return file;
}
