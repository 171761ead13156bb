/** The user's assistants on this device: one IndexedDB database (`nook-assistants`), one record each. */
import type { UseStore } from 'idb-keyval';
import { savedRecords } from '../storage/saved-records';
import { readAssistant, type Assistant } from './assistant';

export const assistantRecords = (store?: UseStore) =>
  savedRecords<Assistant>('nook-assistants', 'assistants', readAssistant, store);
