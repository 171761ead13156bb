/**
 * Saved summaries, in their own IndexedDB database (idb-keyval store), one record per summary.
 * Every record carries its schema version; records of an older version are migrated when read,
 * and unreadable ones are skipped rather than breaking the list.
 */
import { createStore, del, entries, set, type UseStore } from 'idb-keyval';
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

let defaultStore: UseStore | undefined;
/** Opened on first use, so importing this module touches no storage. */
const summaryStore = (): UseStore => (defaultStore ??= createStore('nook-summaries', 'summaries'));

export async function listSummaries(store = summaryStore()): Promise<SummaryRecord[]> {
  const records = (await entries(store))
    .map(([, value]) => migrateSummary(value))
    .filter((record): record is SummaryRecord => record !== undefined);
  return records.sort((a, b) => b.createdAt - a.createdAt);
}

export function saveSummary(record: SummaryRecord, store = summaryStore()): Promise<void> {
  return set(record.id, record, store);
}

export function deleteSummary(id: string, store = summaryStore()): Promise<void> {
  return del(id, store);
}

/** Brings a stored value to the current schema, or undefined if it is not a summary. */
export function migrateSummary(value: unknown): SummaryRecord | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Partial<SummaryRecord> & { schema?: number };
  if (record.schema !== SUMMARY_SCHEMA_VERSION) return undefined; // no older versions exist yet
  if (typeof record.id !== 'string' || typeof record.text !== 'string') return undefined;
  return record as SummaryRecord;
}
