/**
 * Saved translations, in their own IndexedDB database, one record per translation (lib/storage's
 * saved records). Every record carries its schema version; a record of another version, or one
 * that cannot be read, is skipped rather than breaking the list.
 */
import type { UseStore } from 'idb-keyval';
import { savedRecords, type SavedRecords } from '../storage/saved-records';
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

let defaultRecords: SavedRecords<TranslationRecord> | undefined;

/** The saved translations: the app's own database, or `store` (tests). */
export const translationRecords = (store?: UseStore): SavedRecords<TranslationRecord> =>
  store
    ? savedRecords('nook-translations', 'translations', migrateTranslation, store)
    : (defaultRecords ??= savedRecords('nook-translations', 'translations', migrateTranslation));

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
