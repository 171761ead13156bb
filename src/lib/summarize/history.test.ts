import 'fake-indexeddb/auto';
import { createStore } from 'idb-keyval';
import { describe, expect, it } from 'vitest';
import { markdownFileName, summaryToMarkdown } from './export';
import { migrateSummary, summaryRecords, type SummaryRecord } from './history';
import { sharedIdFromHash } from './share';

const record = (id: string, createdAt: number): SummaryRecord => ({
  schema: 1,
  id,
  sourceName: 'Städtische Notizen (Entwurf).pdf',
  sourceChars: 12_345,
  options: { length: 'short', form: 'bullets' },
  model: { id: 'm1', name: 'Tiny' },
  createdAt,
  text: '- one\n- two',
});

describe('summary history', () => {
  it('saves, lists newest first, skips unreadable records and deletes', async () => {
    const store = createStore('test-summaries', 'summaries');
    const records = summaryRecords(store);
    await records.save(record('a', 1000));
    await records.save(record('b', 2000));
    const { set } = await import('idb-keyval');
    await set('junk', { schema: 99, id: 'junk' }, store);
    expect((await records.list()).map((r) => r.id)).toEqual(['b', 'a']);
    await records.remove('b');
    expect((await records.list()).map((r) => r.id)).toEqual(['a']);
  });

  it('accepts only records of the current schema', () => {
    expect(migrateSummary(record('a', 1))).toEqual(record('a', 1));
    expect(migrateSummary({ id: 'a', text: 'x' })).toBeUndefined();
    expect(migrateSummary('text')).toBeUndefined();
  });
});

describe('Markdown export', () => {
  it('has a title, the options, model and date, and the text; the file name is safe', () => {
    const markdown = summaryToMarkdown(record('a', Date.UTC(2026, 0, 2, 3, 4)));
    expect(markdown).toBe(
      '# Summary of Städtische Notizen (Entwurf).pdf\n\n' +
        '*Short · Bullet points · Tiny · 2026-01-02 03:04 UTC · made offline by Nook*\n\n- one\n- two\n',
    );
    expect(markdownFileName(record('a', 1))).toBe('summary-stadtische-notizen-entwurf.md');
  });
});

describe('shared payload address', () => {
  it('reads the id from the hash the service worker redirects to', () => {
    expect(sharedIdFromHash('#/summarize?shared=abc-123')).toBe('abc-123');
    expect(sharedIdFromHash('#/summarize')).toBeUndefined();
  });
});
