/**
 * Saved translations, in their own IndexedDB database (idb-keyval store), one record per
 * translation. Every record carries its schema version; a record of another version, or one that
 * cannot be read, is skipped rather than breaking the list.
 */
import { createStore, del, entries, set, type UseStore } from 'idb-keyval';
import type { Language } from './languages';

export const TRANSLATION_SCHEMA_VERSION = 1;

export interface TranslationRecord {
  schema: typeof TRANSLATION_SCHEMA_VERSION;
  id: string;
  /** File name, "Pasted text", "Chat reply"… */
  sourceName: string;
  sourceChars: number;
  from?: Language;
  to: Language;
  /** Who translated: the local model's name, a server model ("id on host"), or Chrome's on-device translator. */
  engine: { kind: 'model' | 'server' | 'browser'; name: string };
  /** Milliseconds since the epoch. */
  createdAt: number;
  text: string;
  /** Pieces translated, and those flagged for a check (lost a fact, changed shape, cut short). */
  parts: number;
  flaggedParts: number;
  /** Stopped part-way and kept by the user: the translation covers only the first `parts` pieces. */
  partial: boolean;
}

let defaultStore: UseStore | undefined;
/** Opened on first use, so importing this module touches no storage. */
const translationStore = (): UseStore => (defaultStore ??= createStore('nook-translations', 'translations'));

export async function listTranslations(store = translationStore()): Promise<TranslationRecord[]> {
  const records = (await entries(store))
    .map(([, value]) => migrateTranslation(value))
    .filter((record): record is TranslationRecord => record !== undefined);
  return records.sort((a, b) => b.createdAt - a.createdAt);
}

export function saveTranslation(record: TranslationRecord, store = translationStore()): Promise<void> {
  return set(record.id, record, store);
}

export function deleteTranslation(id: string, store = translationStore()): Promise<void> {
  return del(id, store);
}

/** Brings a stored value to the current schema, or undefined if it is not a translation. */
export function migrateTranslation(value: unknown): TranslationRecord | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Partial<TranslationRecord> & { schema?: number };
  if (record.schema !== TRANSLATION_SCHEMA_VERSION) return undefined; // no older versions exist yet
  if (typeof record.id !== 'string' || typeof record.text !== 'string' || typeof record.to?.name !== 'string') {
    return undefined;
  }
  return record as TranslationRecord;
}
