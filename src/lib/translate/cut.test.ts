import { describe, expect, it } from 'vitest';
import { utf8Length } from '../summarize/utf8';
import { cutDocument, type Segment } from './cut';
import { restore } from './protect';

const rebuild = (segments: Segment[]) =>
  segments.map((segment) => (segment.kind === 'keep' ? segment.source : segment.source + segment.trailing)).join('');

function document(sections: number): string {
  const parts: string[] = [];
  for (let i = 1; i <= sections; i++) {
    parts.push(
      `## Section ${i}\n\nParagraph ${i} explains \`step${i}()\` and links to [page ${i}](https://example.org/${i}). ` +
        `It has a second sentence about item ${i}. And a third one, longer, so that pieces must be cut at sentences.\n\n` +
        `- first point of ${i}\n- second point of ${i}\n\n` +
        `| name | value |\n| --- | --- |\n| row ${i} | ${i * 7} |\n\n` +
        '```js\n' +
        `const answer${i} = ${i};\n\nconsole.log(answer${i});\n` +
        '```\n\n',
    );
  }
  return parts.join('');
}

describe('cutDocument', () => {
  const text = document(12);

  it.each([60, 120, 400, 5000])(
    'never goes over a budget of %i bytes, and rebuilds the document exactly',
    (maxBytes) => {
      const segments = cutDocument(text, { maxBytes });
      for (const segment of segments) {
        if (segment.kind === 'translate') expect(utf8Length(segment.text)).toBeLessThanOrEqual(maxBytes);
      }
      expect(rebuild(segments)).toBe(text);
    },
  );

  it('keeps order: the pieces, read in order, are the document without its code', () => {
    const segments = cutDocument(text, { maxBytes: 120 });
    const pieces = segments.filter((segment) => segment.kind === 'translate').map((segment) => segment.source);
    const positions = pieces.map((piece) => text.indexOf(piece));
    expect(positions.every((position) => position >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(pieces.length).toBeGreaterThan(12);
  });

  it('never sends code: code blocks are kept segments, inline code and URLs are placeholders', () => {
    const segments = cutDocument(text, { maxBytes: 120 });
    for (const segment of segments) {
      if (segment.kind !== 'translate') continue;
      expect(segment.text).not.toMatch(/`|https:|const answer|console\.log/);
      expect(restore(segment.text, segment.slots).text).toBe(segment.source);
    }
    const kept = segments.filter((segment) => segment.kind === 'keep').map((segment) => segment.source);
    expect(kept.some((source) => source.startsWith('```js\nconst answer3 = 3;\n\nconsole.log(answer3);\n```'))).toBe(
      true,
    );
  });

  it('keeps a block whole when it fits, and a table with its delimiter row', () => {
    const segments = cutDocument(text, { maxBytes: 400 });
    const pieces = segments.filter((segment) => segment.kind === 'translate').map((segment) => segment.source);
    expect(pieces.some((piece) => piece.includes('| name | value |\n| --- | --- |\n| row 2 | 14 |'))).toBe(true);
    expect(pieces.some((piece) => piece.includes('- first point of 5\n- second point of 5'))).toBe(true);
  });

  it('cuts a block too long for one piece at sentence ends', () => {
    const long = Array.from({ length: 30 }, (_, i) => `Sentence number ${i + 1} is here.`).join(' ');
    const segments = cutDocument(long, { maxBytes: 100 });
    const pieces = segments.filter((segment) => segment.kind === 'translate');
    expect(pieces.length).toBeGreaterThan(5);
    for (const piece of pieces) expect(piece.source).toMatch(/^Sentence number \d+ .*is here\.$/);
    expect(rebuild(segments)).toBe(long);
  });

  it('keeps an unclosed fence to the end of the document (never sent)', () => {
    const segments = cutDocument('Intro.\n\n```\ncode without end\n', { maxBytes: 100 });
    expect(segments.map((segment) => segment.kind)).toEqual(['translate', 'keep']);
  });
});
