import { describe, expect, it } from 'vitest';
import type { TranslatePiece } from './cut';
import { translateDocument, type PieceTranslator, type PieceReply } from './translate';

const french = { code: 'fr', name: 'French' };

/**
 * A fake translator (no engine): "translates" by upper-casing the words of what it is sent, so
 * placeholders, digits and Markdown come back as they went. Records what it was sent.
 */
class UpperCaseTranslator implements PieceTranslator {
  readonly sent: string[] = [];
  constructor(readonly bytes: number) {}
  pieceBytes(): number {
    return this.bytes;
  }
  async translate(piece: TranslatePiece, _previous: string, _attempt: 1 | 2, onText: (soFar: string) => void) {
    this.sent.push(piece.text);
    const text = piece.text.replace(/\p{Ll}/gu, (letter) => letter.toUpperCase());
    onText(text);
    return { text, cutShort: false } satisfies PieceReply;
  }
}

describe('structure through a whole translation', () => {
  it('an indented code block is never sent and comes back verbatim, in place', async () => {
    const text = 'Build it:\n\n    npm run build\n    npm test\n\nThen ship it.\n';
    const translator = new UpperCaseTranslator(400);
    const result = await translateDocument({ text, to: french, contextLength: 256 }, { translator });
    expect(translator.sent.join('\n')).not.toContain('npm');
    expect(result.text).toBe('BUILD IT:\n\n    npm run build\n    npm test\n\nTHEN SHIP IT.\n');
  });

  it('a table longer than one piece: each later part is sent with the header, the result is one table with the header once', async () => {
    const header = '| Task | Hours |\n| --- | --- |\n';
    const rows = Array.from({ length: 24 }, (_, i) => `| weeding ${i + 1} | ${i + 2} |\n`);
    const text = `tasks:\n\n${header}${rows.join('')}\nthe end.\n`;
    const translator = new UpperCaseTranslator(120);
    const result = await translateDocument({ text, to: french, contextLength: 256 }, { translator });
    const tableCalls = translator.sent.filter((sent) => sent.includes('weeding'));
    expect(tableCalls.length).toBeGreaterThan(2);
    for (const sent of tableCalls) expect(sent.startsWith(header)).toBe(true);
    const expectedRows = rows.map((row) => row.replace('weeding', 'WEEDING')).join('');
    expect(result.text).toBe(`TASKS:\n\n| TASK | HOURS |\n| --- | --- |\n${expectedRows}\nTHE END.\n`);
    expect(result.parts.every((part) => part.flags.length === 0)).toBe(true);
  });

  it('text that is all code is not sent at all, with a clear sentence', async () => {
    const translator = new UpperCaseTranslator(400);
    const translation = translateDocument(
      { text: '    only code\n    here\n', to: french, contextLength: 256 },
      { translator },
    );
    await expect(translation).rejects.toThrow('there is nothing to translate');
    expect(translator.sent).toEqual([]);
  });
});
