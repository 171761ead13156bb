/**
 * Unsent composer text, one draft per conversation, in its own IndexedDB database
 * (`nook-drafts`). A draft outlives a reload, an app update and a closed tab; an empty draft is
 * deleted rather than stored. Knows nothing of when to save (see state/drafts).
 */
import { createStore, del, entries, set, type UseStore } from 'idb-keyval';

let store: UseStore | undefined;
const drafts = () => (store ??= createStore('nook-drafts', 'drafts'));

export async function loadDrafts(): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (const [key, value] of await entries<IDBValidKey, unknown>(drafts())) {
    if (typeof key === 'string' && typeof value === 'string') found.set(key, value);
  }
  return found;
}

export interface Draft {
  key: string;
  text: string;
}

export const saveDraft = ({ key, text }: Draft): Promise<void> =>
  text.trim() ? set(key, text, drafts()) : del(key, drafts());
