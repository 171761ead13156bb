/**
 * The records a job saves on the device (summaries, translations): one IndexedDB database each
 * (an idb-keyval store), one record per key, listed newest first. A value that `migrate` cannot
 * bring to the current schema is skipped rather than breaking the list.
 */
import { createStore, del, entries, set, type UseStore } from 'idb-keyval';

export interface SavedRecord {
  id: string;
  /** Milliseconds since the epoch. */
  createdAt: number;
}

export interface SavedRecords<T extends SavedRecord> {
  list(): Promise<T[]>;
  save(record: T): Promise<void>;
  remove(id: string): Promise<void>;
}

/**
 * The records of one database. The store is opened on first use, so making this touches no
 * storage; `store` replaces it (tests).
 */
export function savedRecords<T extends SavedRecord>(
  database: string,
  storeName: string,
  migrate: (value: unknown) => T | undefined,
  store?: UseStore,
): SavedRecords<T> {
  let opened = store;
  const records = () => (opened ??= createStore(database, storeName));
  return {
    async list() {
      const found = (await entries(records()))
        .map(([, value]) => migrate(value))
        .filter((record): record is T => record !== undefined);
      return found.sort((a, b) => b.createdAt - a.createdAt);
    },
    save: (record) => set(record.id, record, records()),
    remove: (id) => del(id, records()),
  };
}
