/** The remembered facts on this device: one IndexedDB database (`nook-memory`), one record each. */
import type { UseStore } from 'idb-keyval';
import { savedRecords } from '../storage/saved-records';
import { readMemory, type Memory } from './memory';

export const memoryRecords = (store?: UseStore) => savedRecords<Memory>('nook-memory', 'memories', readMemory, store);

/** What tabs tell each other: the facts changed, read them again. */
export const MEMORY_CHANNEL = 'nook-memory';
