/**
 * Conversations in IndexedDB (database `nook-conversations`, one record per conversation, keyed by
 * id) through idb-keyval. Records are migrated on read and checked; a record that cannot be read
 * (e.g. written by a newer Nook) is left untouched in storage and skipped. This module knows
 * nothing of Svelte or of when to save: see `ConversationSync` (sync.ts).
 */
import { createStore, del, entries, get, promisifyRequest, set, type UseStore } from 'idb-keyval';
import { CONVERSATION_SCHEMA_VERSION, type Conversation } from './conversation';
import { checkConversation } from './validate';
import { mergeConversation } from './merge';
import { migrateRecord } from '../storage/migrations';
import { CONVERSATION_MIGRATIONS } from './migrations';

let store: UseStore | undefined;
const conversations = () => (store ??= createStore('nook-conversations', 'conversations'));

export interface LoadedConversations {
  conversations: Conversation[];
  /** Records left in storage because this version cannot read them. */
  unreadable: number;
}

/** A stored value as a current conversation, or undefined when this version cannot read it. */
function readRecord(key: IDBValidKey, raw: unknown): { conversation: Conversation; migrated: boolean } | undefined {
  const migrated = migrateRecord(raw, CONVERSATION_SCHEMA_VERSION, CONVERSATION_MIGRATIONS);
  const checked = migrated.ok ? checkConversation(migrated.record) : undefined;
  if (!migrated.ok || !checked?.ok || checked.value.id !== key) return undefined;
  return { conversation: checked.value, migrated: migrated.migrated };
}

export async function loadConversations(): Promise<LoadedConversations> {
  const result: LoadedConversations = { conversations: [], unreadable: 0 };
  for (const [key, raw] of await entries<IDBValidKey, unknown>(conversations())) {
    const read = readRecord(key, raw);
    if (!read) {
      result.unreadable++;
      continue;
    }
    if (read.migrated) await set(key, read.conversation, conversations());
    result.conversations.push(read.conversation);
  }
  return result;
}

/** One stored conversation (e.g. after another tab changed it); undefined if gone or unreadable. */
export async function loadConversation(id: string): Promise<Conversation | undefined> {
  const raw = await get<unknown>(id, conversations());
  return raw === undefined ? undefined : readRecord(id, raw)?.conversation;
}

/**
 * Writes `ours`, merged with whatever another tab stored since `base` (the version this tab last
 * read or wrote), in one read-write transaction, so two tabs writing the same conversation never
 * lose each other's changes. Resolves with the record as stored.
 */
export function saveConversationMerged(ours: Conversation, base: Conversation | undefined): Promise<Conversation> {
  return conversations()(
    'readwrite',
    (store) =>
      new Promise<Conversation>((resolve, reject) => {
        let merged = ours;
        const read = store.get(ours.id);
        read.onsuccess = () => {
          const stored = read.result === undefined ? undefined : readRecord(ours.id, read.result)?.conversation;
          merged = mergeConversation(base, ours, stored);
          store.put(merged, ours.id);
        };
        const { transaction } = store;
        transaction.oncomplete = () => resolve(merged);
        transaction.onerror = transaction.onabort = () =>
          reject(transaction.error ?? new DOMException('The write was aborted.', 'AbortError'));
      }),
  );
}

/**
 * Writes `conversation` as it is, with no read first, and commits the transaction at once: for a
 * page that is closing, where a read's answer may never come back but a committed write still
 * lands. Only for a record no other tab has written since this tab last read or wrote it (the
 * caller knows: see `ConversationSync.flushOnHide`), since nothing is merged.
 */
export function saveConversationNow(conversation: Conversation): Promise<void> {
  return conversations()('readwrite', (store) => {
    store.put(conversation, conversation.id);
    store.transaction.commit();
    return promisifyRequest(store.transaction);
  });
}

export const saveConversation = (conversation: Conversation): Promise<void> =>
  set(conversation.id, conversation, conversations());

export const deleteConversation = (id: string): Promise<void> => del(id, conversations());
