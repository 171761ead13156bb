import { describe, expect, it } from 'vitest';
import { LexicalIndex, passageId } from './lexical';

/** A library of one report, every passage about the committee, some about the ferry. */
function reportLibrary(passages: number) {
  const index = LexicalIndex.empty();
  index.add(
    Array.from({ length: passages }, (_, i) => ({
      id: passageId('report.txt', i),
      documentId: 'report.txt',
      text:
        `Report ${i + 1}. The committee met and the contractor asked for more time.` +
        (i % 4 === 0 ? ` The ferry timetable changes in week ${i}.` : ` The orchard was pruned in week ${i}.`),
      heading: '',
      title: 'report.txt',
    })),
  );
  return index;
}

describe('the lexical index', () => {
  it('takes as candidates only the passages that share a telling word with the question', () => {
    const index = reportLibrary(400);
    const hits = index.search('What did the committee decide about the ferry?', 1_000);
    // "committee" is in every passage; only the ferry passages answer.
    expect(hits).toHaveLength(100);
    expect(hits.every((hit) => Number(hit.passageId.split(':')[1]) % 4 === 0)).toBe(true);
  });

  it('still finds passages when the question’s words are in every passage', () => {
    const index = reportLibrary(400);
    expect(index.search('What did the committee and the contractor say?', 10)).toHaveLength(10);
    // A telling word found nowhere does not hide the passages the common words find.
    expect(index.search('What did the contractor say about the lighthouse?', 10)).toHaveLength(10);
  });

  it('keeps a word found in most passages but not nearly all (6 of 8)', () => {
    const index = reportLibrary(8);
    const hits = index.search('ferry orchard', 8);
    expect(hits).toHaveLength(8);
  });
});
