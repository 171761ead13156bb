import { describe, expect, it } from 'vitest';
import { IncrementalBlocks, splitBlocks } from './blocks';

describe('IncrementalBlocks', () => {
  it('splits at blank lines and keeps the growing tail apart', () => {
    expect(splitBlocks('# Title\n\nSome text\nmore\n\n- a\n- b')).toEqual(['# Title', 'Some text\nmore', '- a\n- b']);
  });

  it('never splits inside a code fence, even at blank lines', () => {
    const text = 'Intro\n\n```js\nconst a = 1;\n\nconst b = 2;\n```\n\nAfter';
    expect(splitBlocks(text)).toEqual(['Intro', '```js\nconst a = 1;\n\nconst b = 2;\n```', 'After']);
    expect(splitBlocks('~~~\n\n```\n\n~~~\n\nx')).toEqual(['~~~\n\n```\n\n~~~', 'x']);
  });

  it('keeps an unclosed fence in the tail while it streams', () => {
    const blocks = new IncrementalBlocks();
    expect(blocks.update('Hi\n\n```py\nprint(1)\n\n').map((b) => b.source)).toEqual(['Hi', '```py\nprint(1)\n\n']);
  });

  it('finished blocks keep their key and source as text streams in, token by token', () => {
    const text = 'One para.\n\nTwo para.\n\n```\ncode\n```\n\nThree';
    const blocks = new IncrementalBlocks();
    let previous: { key: number; source: string }[] = [];
    for (let end = 1; end <= text.length; end++) {
      const now = blocks.update(text.slice(0, end));
      // Every block but the last one seen before is unchanged.
      for (const block of previous.slice(0, -1)) expect(now[block.key]).toEqual(block);
      previous = now;
    }
    expect(previous.map((b) => b.key)).toEqual([0, 1, 2, 3]);
    expect(previous.map((b) => b.source)).toEqual(splitBlocks(text));
  });

  it('starts over when the text is replaced rather than extended', () => {
    const blocks = new IncrementalBlocks();
    blocks.update('Alpha\n\nBeta\n\nGamma');
    expect(blocks.update('Other\n\nText').map((b) => b.source)).toEqual(['Other', 'Text']);
  });

  it('ignores leading and repeated blank lines', () => {
    expect(splitBlocks('\n\nA\n\n\n\nB\n')).toEqual(['A', 'B\n']);
    expect(splitBlocks('')).toEqual([]);
  });
});
