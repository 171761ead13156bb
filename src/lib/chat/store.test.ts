import 'fake-indexeddb/auto';
import { createStore, set } from 'idb-keyval';
import { describe, expect, it } from 'vitest';
import { CONVERSATION_SCHEMA_VERSION, newConversation } from './conversation';
import {
  deleteConversation,
  loadConversation,
  loadConversations,
  saveConversation,
  saveConversationMerged,
} from './store';

describe('conversation storage (fake-indexeddb)', () => {
  it('saves, loads, migrates old records, skips unreadable ones and deletes', async () => {
    const raw = createStore('nook-conversations', 'conversations');
    const current = newConversation('new', 5);
    await saveConversation(current);
    await set('old', { id: 'old', messages: [{ id: 'm', role: 'user', content: 'hi' }] }, raw);
    await set('future', { id: 'future', schemaVersion: 99 }, raw);

    const loaded = await loadConversations();
    expect(loaded.unreadable).toBe(1);
    expect(loaded.conversations.map((c) => c.id).sort()).toEqual(['new', 'old']);
    // The migrated record was written back in the current shape; the future one was left alone.
    const again = await loadConversations();
    expect(again.conversations.find((c) => c.id === 'old')?.schemaVersion).toBe(CONVERSATION_SCHEMA_VERSION);

    await deleteConversation('new');
    expect((await loadConversations()).conversations.map((c) => c.id)).toEqual(['old']);
  });
});

describe('merged saves (two tabs, fake-indexeddb)', () => {
  it('keeps a rename stored by another tab while this tab adds a reply', async () => {
    const base = newConversation('shared', 1);
    base.messages.push({ id: 'q', role: 'user', content: 'hello', createdAt: 2 });
    await saveConversation(base);
    // The other tab renames it…
    await saveConversation({ ...structuredClone(base), title: 'Renamed elsewhere', updatedAt: 3 });
    // …while this tab, still holding the old version, adds a reply.
    const ours = structuredClone(base);
    ours.messages.push({ id: 'r', role: 'assistant', content: 'hi there', createdAt: 4 });
    const stored = await saveConversationMerged(ours, base);
    expect(stored.title).toBe('Renamed elsewhere');
    expect(stored.messages.map((m) => m.id)).toEqual(['q', 'r']);
    expect(await loadConversation('shared')).toEqual(stored);
  });
});
