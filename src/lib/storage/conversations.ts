/**
 * Conversations in IndexedDB (database `nook-conversations`, one record per conversation, keyed by
 * id) through idb-keyval. Records are migrated on read and checked; a record that cannot be read
 * (e.g. written by a newer Nook) is left untouched in storage and skipped. This module knows
 * nothing of Svelte or of when to save: see `DebouncedWriter` and state/conversations.
 */
import { createStore, del, entries, set, type UseStore } from 'idb-keyval';
import { CONVERSATION_SCHEMA_VERSION, type Conversation } from '../chat/conversation';
import { checkConversation } from '../chat/validate';
import { CONVERSATION_MIGRATIONS, migrateRecord } from './migrations';

let store: UseStore | undefined;
const conversations = () => (store ??= createStore('nook-conversations', 'conversations'));

export interface LoadedConversations {
  conversations: Conversation[];
  /** Records left in storage because this version cannot read them. */
  unreadable: number;
}

export async function loadConversations(): Promise<LoadedConversations> {
  const result: LoadedConversations = { conversations: [], unreadable: 0 };
  for (const [key, raw] of await entries<IDBValidKey, unknown>(conversations())) {
    const migrated = migrateRecord(raw, CONVERSATION_SCHEMA_VERSION, CONVERSATION_MIGRATIONS);
    const checked = migrated.ok ? checkConversation(migrated.record) : undefined;
    if (!checked?.ok || checked.value.id !== key) {
      result.unreadable++;
      continue;
    }
    if (migrated.ok && migrated.migrated) await set(key, checked.value, conversations());
    result.conversations.push(checked.value);
  }
  return result;
}

export const saveConversation = (conversation: Conversation): Promise<void> =>
  set(conversation.id, conversation, conversations());

export const deleteConversation = (id: string): Promise<void> => del(id, conversations());
