import { describe, expect, it } from 'vitest';
import { cutPassages } from './passages';
import { utf8Length } from '../shared/utf8';
import { CORPUS } from './testing/corpus';

const limits = { maxBytes: 300, overlapBytes: 80 };

describe('cutPassages', () => {
  it('starts a passage at every heading and ends passages at paragraph breaks', () => {
    const text = CORPUS[0]!.text;
    const passages = cutPassages(text, limits);
    const stormHeading = text.indexOf('## The Storm of 1898');
    const storm = passages.find((passage) => passage.start === stormHeading);
    expect(storm?.heading).toBe('The Storm of 1898');
    for (const passage of passages) {
      expect(text.slice(passage.end, passage.end + 1)).toMatch(/^(\n|)$/);
    }
  });

  it('keeps passages within the budget, except a heading kept with its first paragraph', () => {
    const text = CORPUS[1]!.text;
    for (const passage of cutPassages(text, limits)) {
      const body = text.slice(passage.start, passage.end);
      const headingBytes = /^#.*\n+/.exec(body)?.[0].length ?? 0;
      expect(utf8Length(body) - headingBytes).toBeLessThanOrEqual(limits.maxBytes);
    }
  });

  it('covers the whole text, repeating a short last sentence of the passage before', () => {
    const text = `${'A'.repeat(200)}. Short tail here.\n\n${'B'.repeat(150)}.\n\nThird paragraph.`;
    const passages = cutPassages(text, limits);
    expect(passages.length).toBeGreaterThan(1);
    let covered = 0;
    for (const passage of passages) {
      expect(passage.start).toBeLessThanOrEqual(covered);
      covered = Math.max(covered, passage.end);
    }
    expect(covered).toBe(text.length);
    expect(text.slice(passages[1]!.start, passages[1]!.end)).toMatch(/^Short tail here\.\n\nB/);
  });

  it('cuts a paragraph longer than the budget at sentences', () => {
    const sentence = 'The council met again to discuss the new bridge and its budget. ';
    const text = sentence.repeat(30).trim();
    const passages = cutPassages(text, limits);
    expect(passages.length).toBeGreaterThan(5);
    for (const passage of passages) expect(utf8Length(text, passage.start, passage.end)).toBeLessThanOrEqual(300);
  });

  it('gives nothing for blank text', () => {
    expect(cutPassages('  \n\n \n')).toEqual([]);
  });
});
