/**
 * Saved summaries, in their own IndexedDB database, one record per summary (lib/storage's saved
 * records). Every record carries its schema version; records of an older version are migrated
 * when read, and unreadable ones are skipped rather than breaking the list.
 */
import type { UseStore } from 'idb-keyval';
import { savedRecords, type SavedRecords } from '../storage/saved-records';
import type { SummaryOptions } from './options';

export const SUMMARY_SCHEMA_VERSION = 1;

export interface SummaryRecord {
  schema: typeof SUMMARY_SCHEMA_VERSION;
  id: string;
  /** File name, shared title, "Pasted text"… */
  sourceName: string;
  /** Characters of the source text. */
  sourceChars: number;
  options: SummaryOptions;
  model: { id: string; name: string };
  /** Milliseconds since the epoch. */
  createdAt: number;
  text: string;
}

let defaultRecords: SavedRecords<SummaryRecord> | undefined;

/** The saved summaries: the app's own database, or `store` (tests). */
export const summaryRecords = (store?: UseStore): SavedRecords<SummaryRecord> =>
  store
    ? savedRecords('nook-summaries', 'summaries', migrateSummary, store)
    : (defaultRecords ??= savedRecords('nook-summaries', 'summaries', migrateSummary));

/** Brings a stored value to the current schema, or undefined if it is not a summary. */
export function migrateSummary(value: unknown): SummaryRecord | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Partial<SummaryRecord> & { schema?: number };
  if (record.schema !== SUMMARY_SCHEMA_VERSION) return undefined; // no older versions exist yet
  if (typeof record.id !== 'string' || typeof record.text !== 'string') return undefined;
  return record as SummaryRecord;
}
