import { describe, expect, it } from 'vitest';
import { utf8Length } from '../shared/utf8';
import { cutDocument, dropStreamingTableHeader, dropTableHeader, recutTablePiece, type Segment } from './cut';
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

describe('indented code blocks', () => {
  const text =
    'Install it like this:\n\n' +
    '    npm ci\n    npm run build\n\n' +
    '    # still code after a blank line\n\n' +
    'Then a tab-indented one:\n\n' +
    '\tmake check\n\n' +
    'A paragraph\n    continued by an indented line.\n\n' +
    '- a list item\n\n    with an indented paragraph of its own.\n\n' +
    'The end.\n';

  it('are kept segments (never sent), verbatim, where they were', () => {
    const segments = cutDocument(text, { maxBytes: 5000 });
    expect(rebuild(segments)).toBe(text);
    const sent = segments.filter((segment) => segment.kind === 'translate').map((segment) => segment.text);
    for (const piece of sent) expect(piece).not.toMatch(/npm ci|npm run build|still code|make check/);
    const kept = segments.filter((segment) => segment.kind === 'keep').map((segment) => segment.source);
    expect(kept).toContain('    npm ci\n    npm run build\n\n    # still code after a blank line\n\n');
    expect(kept).toContain('\tmake check\n\n');
  });

  it('are not a paragraph’s continuation line or a list item’s indented content: those are sent', () => {
    const sent = cutDocument(text, { maxBytes: 5000 })
      .filter((segment) => segment.kind === 'translate')
      .map((segment) => segment.source)
      .join('\n');
    expect(sent).toContain('A paragraph\n    continued by an indented line.');
    expect(sent).toContain('    with an indented paragraph of its own.');
    expect(sent).toContain('The end.');
  });

  it('after a heading, an indented line is code', () => {
    const segments = cutDocument('# Usage\n    nook --serve\n\nText.\n', { maxBytes: 5000 });
    expect(
      segments.find((segment) => segment.kind === 'keep' && segment.source.includes('nook --serve')),
    ).toBeDefined();
  });
});

describe('a table longer than one piece', () => {
  const header = '| Task | Hours | Who |\n| --- | ---: | --- |\n';
  const rows = Array.from({ length: 30 }, (_, i) => `| Weeding bed ${i + 1} | ${i + 2} | Ann |\n`).join('');
  const text = `Our tasks:\n\n${header}${rows}\nThat is all.\n`;

  it('is cut at rows; every later part is sent after the header and delimiter rows, which are not its source', () => {
    const segments = cutDocument(text, { maxBytes: 200 });
    expect(rebuild(segments)).toBe(text);
    const tableParts = segments.filter((segment) => segment.kind === 'translate' && /Weeding/.test(segment.source));
    expect(tableParts.length).toBeGreaterThan(3);
    const [first, ...later] = tableParts;
    expect(first!.kind === 'translate' && first!.tableHeader).toBeFalsy();
    expect(first!.source.startsWith(header)).toBe(true);
    for (const part of later) {
      if (part.kind !== 'translate') throw new Error('not a piece');
      expect(part.tableHeader).toBe(header);
      expect(part.text.startsWith(header)).toBe(true);
      expect(part.source).not.toContain('| Task |');
      // Whole rows only, and the header counts toward the budget.
      expect(part.source).toMatch(/^\| Weeding bed \d+ \| \d+ \| Ann \|(\n\| Weeding bed \d+ \| \d+ \| Ann \|)*$/);
      expect(utf8Length(part.text)).toBeLessThanOrEqual(200);
    }
  });

  it('a later part refused as too long is cut smaller, each smaller part still with the header', () => {
    const part = cutDocument(text, { maxBytes: 200 }).find(
      (segment) => segment.kind === 'translate' && segment.tableHeader,
    );
    if (part?.kind !== 'translate') throw new Error('no later part');
    const smaller = recutTablePiece(part, 120)!;
    expect(smaller.length).toBeGreaterThan(1);
    expect(rebuild(smaller)).toBe(part.source + part.trailing);
    for (const piece of smaller) if (piece.kind === 'translate') expect(piece.tableHeader).toBe(header);
  });

  it('a translation’s repeated header rows are dropped (also while it streams), one without them is left as it is', () => {
    const translated = '| Tâche | Heures | Qui |\n| --- | ---: | --- |\n| Désherbage 5 | 6 | Ann |';
    expect(dropTableHeader(translated)).toBe('| Désherbage 5 | 6 | Ann |');
    expect(dropTableHeader('| Désherbage 5 | 6 | Ann |')).toBe('| Désherbage 5 | 6 | Ann |');
    expect(dropStreamingTableHeader('| Tâche | Heu')).toBe('');
    expect(dropStreamingTableHeader('| Tâche | Heures | Qui |\n| --- | ---: | --- |\n| Dés')).toBe('| Dés');
  });
});
