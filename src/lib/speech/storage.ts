/**
 * Speech models on the device: each file of a model as one Blob in IndexedDB
 * (`nook-speech-models`), the record written only after every file is stored, so a listed model
 * is complete. Used from the page (download, list, delete) and from the speech worker (reading).
 */
import { createStore, del, delMany, get, keys, set, values, type UseStore } from 'idb-keyval';

export const SPEECH_RECORD_VERSION = 1;

export interface StoredSpeechModel {
  schemaVersion: typeof SPEECH_RECORD_VERSION;
  id: string;
  name: string;
  /** Where the files came from (the host or mirror base). */
  sourceUrl: string;
  multilingual: boolean;
  sizeBytes: number;
  files: string[];
  addedAt: number;
}

let recordStore: UseStore | undefined;
let fileStore: UseStore | undefined;
const records = () => (recordStore ??= createStore('nook-speech-models', 'records'));
const files = () => (fileStore ??= createStore('nook-speech-files', 'files'));
const fileKey = (modelId: string, file: string) => `${modelId}/${file}`;

export async function listSpeechModels(): Promise<StoredSpeechModel[]> {
  const all = await values<StoredSpeechModel>(records());
  return all.filter((r) => r.schemaVersion === SPEECH_RECORD_VERSION).sort((a, b) => b.addedAt - a.addedAt);
}

export const getSpeechModel = (id: string) => get<StoredSpeechModel>(id, records());

export const putSpeechFile = (modelId: string, file: string, blob: Blob) => set(fileKey(modelId, file), blob, files());

export const readSpeechFile = (modelId: string, file: string) => get<Blob>(fileKey(modelId, file), files());

export const saveSpeechModel = (record: StoredSpeechModel) => set(record.id, record, records());

/** Record first: an interrupted delete never leaves a listed model without its files. */
export async function deleteSpeechModel(id: string): Promise<void> {
  await del(id, records());
  await discardSpeechFiles(id);
}

export async function discardSpeechFiles(id: string): Promise<void> {
  const prefix = `${id}/`;
  const mine = (await keys<string>(files())).filter((key) => typeof key === 'string' && key.startsWith(prefix));
  await delMany(mine, files());
}
