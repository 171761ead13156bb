import { describe, expect, it } from 'vitest';
import { ThinkSplitter } from './think-split';

/** Streams `pieces` through a splitter; what came out as thinking and as answer. */
function split(pieces: readonly string[]): { thinking: string; answer: string; parts: string[] } {
  const out = { thinking: '', answer: '', parts: [] as string[] };
  const splitter = new ThinkSplitter({
    thinking: (text) => ((out.thinking += text), out.parts.push('thinking')),
    answer: (text) => ((out.answer += text), out.parts.push('answer')),
  });
  for (const piece of pieces) splitter.push(piece);
  splitter.end();
  return out;
}

/** Every way of cutting `text` into two pieces, and one piece per character. */
function cuts(text: string): string[][] {
  const all = [[...text]];
  for (let at = 1; at < text.length; at++) all.push([text.slice(0, at), text.slice(at)]);
  return all;
}

describe('ThinkSplitter', () => {
  it('splits a reply that opens with a think block, however the stream cuts it', () => {
    const text = '<think>\nThe user greets me.\nI greet back.\n</think>\n\nHello there!';
    for (const pieces of cuts(text)) {
      expect(split(pieces)).toMatchObject({ thinking: 'The user greets me.\nI greet back.', answer: 'Hello there!' });
    }
  });

  it('leaves a reply without a think block untouched, a later <think> included', () => {
    for (const pieces of cuts('Use <think> tags like <think>this</think>.')) {
      expect(split(pieces)).toMatchObject({ thinking: '', answer: 'Use <think> tags like <think>this</think>.' });
    }
    expect(split(['<thin', 'king cap>'])).toMatchObject({ thinking: '', answer: '<thinking cap>' });
  });

  it('keeps an unfinished thought as thinking when the stream ends inside it', () => {
    expect(split(['<think>', 'Counting', ' to three', '…'])).toMatchObject({
      thinking: 'Counting to three…',
      answer: '',
    });
  });

  it('streams thinking as it comes, holding back only what may be the closing tag', () => {
    const seen: string[] = [];
    const splitter = new ThinkSplitter({ thinking: (t) => seen.push(t), answer: (t) => seen.push(`A:${t}`) });
    splitter.push('<think>First');
    expect(seen).toEqual(['First']);
    expect(splitter.part).toBe('thinking');
    splitter.push(' idea </');
    expect(seen).toEqual(['First', ' idea']);
    splitter.push('think>Answer');
    expect(seen).toEqual(['First', ' idea', 'A:Answer']);
    expect(splitter.part).toBe('answer');
  });

  it('says nothing is decided while only whitespace or a start of the tag has come', () => {
    const splitter = new ThinkSplitter({ thinking: () => {}, answer: () => {} });
    splitter.push('\n <th');
    expect(splitter.part).toBe('undecided');
  });

  it('gives an empty think block (thinking turned off) no thinking at all', () => {
    expect(split(['<think>\n\n</think>\n\n', 'Hi'])).toEqual({ thinking: '', answer: 'Hi', parts: ['answer'] });
  });

  it('passes on whitespace-only text that is the whole reply', () => {
    expect(split(['  '])).toMatchObject({ answer: '  ' });
  });
});
