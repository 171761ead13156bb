import { describe, expect, it } from 'vitest';
import type { SavedRecords } from '../../lib/storage/saved-records';
import { SavedListState } from './saved-list.svelte';

interface Note {
  id: string;
  createdAt: number;
}

/** A fake store of saved records, in memory, that can be told to refuse. */
function fakeRecords(refuse: { list?: Error; save?: Error } = {}): SavedRecords<Note> & { stored: Note[] } {
  const stored: Note[] = [];
  return {
    stored,
    list: async () => {
      if (refuse.list) throw refuse.list;
      return [...stored].sort((a, b) => b.createdAt - a.createdAt);
    },
    save: async (record) => {
      if (refuse.save) throw refuse.save;
      stored.push(record);
    },
    remove: async (id) => {
      stored.splice(
        stored.findIndex((record) => record.id === id),
        1,
      );
    },
  };
}

const names = { one: 'note', many: 'notes' };

describe('SavedListState', () => {
  it('lists newest first, adds at the top and removes', async () => {
    const records = fakeRecords();
    await records.save({ id: 'a', createdAt: 1 });
    const failures: string[] = [];
    const saved = new SavedListState(records, names, (message) => failures.push(message));
    await saved.refresh();
    await saved.add({ id: 'b', createdAt: 2 });
    expect(saved.list.map((record) => record.id)).toEqual(['b', 'a']);
    await saved.remove('a');
    expect(saved.list.map((record) => record.id)).toEqual(['b']);
    expect(records.stored.map((record) => record.id)).toEqual(['b']);
    expect(failures).toEqual([]);
  });

  it('still shows a record the browser refused to store, and says it was not kept', async () => {
    const failures: string[] = [];
    const saved = new SavedListState(fakeRecords({ save: new Error('QuotaExceededError') }), names, (message) =>
      failures.push(message),
    );
    await saved.add({ id: 'a', createdAt: 1 });
    expect(saved.list.map((record) => record.id)).toEqual(['a']);
    expect(failures).toEqual(['The note could not be saved: QuotaExceededError']);
  });

  it('says so when the saved records cannot be read, and keeps what it listed', async () => {
    const failures: string[] = [];
    const saved = new SavedListState(fakeRecords({ list: new Error('database closed') }), names, (message) =>
      failures.push(message),
    );
    await saved.refresh();
    expect(saved.list).toEqual([]);
    expect(failures).toEqual(['Saved notes could not be read: database closed']);
  });
});
