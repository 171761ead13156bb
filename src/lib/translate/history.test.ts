import { createStore } from 'idb-keyval';
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { migrateTranslation, translationRecords, type TranslationRecord } from './history';
import { translationFileName } from './export';

const record = (id: string, createdAt: number): TranslationRecord => ({
  schema: 1,
  id,
  sourceName: 'Garden Notes.md',
  sourceChars: 120,
  to: { code: 'fr', name: 'French' },
  engine: { kind: 'model', name: 'Tiny' },
  createdAt,
  text: '# Notes',
  parts: 3,
  flaggedParts: 1,
  partial: false,
});

describe('translation history', () => {
  it('lists saved translations newest first and skips records it cannot read', async () => {
    const store = createStore('test-translations', 'translations');
    const records = translationRecords(store);
    await records.save(record('a', 1));
    await records.save(record('b', 2));
    const { set } = await import('idb-keyval');
    await set('broken', { schema: 99, id: 'broken' }, store);
    expect((await records.list()).map((item) => item.id)).toEqual(['b', 'a']);
    expect(migrateTranslation('not a record')).toBeUndefined();
  });

  it('names the download after the source and the target language', () => {
    expect(translationFileName(record('a', 1))).toBe('garden-notes.fr.md');
  });
});
