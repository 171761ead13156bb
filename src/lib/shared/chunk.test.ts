import { describe, expect, it } from 'vitest';
import { chunkText, splitText, type Chunk } from './chunk';
import { splitsSurrogatePair, utf8Length } from './utf8';

/** Small deterministic PRNG, so every generated input can be reproduced from its seed. */
function random(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
}

const WORDS = ['nook', 'runs', 'on', 'your', 'device', 'über', 'naïve', '東京', '😀', 'a', 'offline', 'x'];

function generateText(seed: number): string {
  const next = random(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!;
  const paragraphs: string[] = [];
  const paragraphCount = 1 + Math.floor(next() * 12);
  for (let p = 0; p < paragraphCount; p++) {
    const sentences: string[] = [];
    const sentenceCount = 1 + Math.floor(next() * 10);
    for (let s = 0; s < sentenceCount; s++) {
      const words = Array.from({ length: 1 + Math.floor(next() * 25) }, () => pick(WORDS));
      sentences.push(words.join(next() < 0.1 ? '' : ' ') + pick(['.', '!', '?', '。', '…', '']));
    }
    paragraphs.push(sentences.join(pick([' ', '  ', '\n'])));
  }
  return paragraphs.join(pick(['\n\n', '\n \n', '\n\n\n']));
}

/** The invariants every split must keep, whatever the input. */
function expectValidSplit(text: string, chunks: Chunk[], maxBytes: number): void {
  expect(chunks.length).toBeGreaterThan(0);
  expect(chunks[0]!.start).toBe(0);
  expect(chunks.at(-1)!.end).toBe(text.length);
  for (const [index, chunk] of chunks.entries()) {
    expect(chunk.text).toBe(text.slice(chunk.start, chunk.end));
    expect(utf8Length(chunk.text)).toBeLessThanOrEqual(Math.max(4, maxBytes));
    expect(chunk.end).toBeGreaterThan(chunk.start);
    // No cut between the halves of a surrogate pair (no broken emoji).
    expect(splitsSurrogatePair(text, chunk.start) || splitsSurrogatePair(text, chunk.end)).toBe(false);
    const previous = chunks[index - 1];
    if (previous) {
      // In order, no gap, and always moving forward.
      expect(chunk.start).toBeLessThanOrEqual(previous.end);
      expect(chunk.start).toBeGreaterThan(previous.start);
      expect(chunk.end).toBeGreaterThan(previous.end);
    }
  }
}

describe('chunkText', () => {
  it('keeps every piece within budget and covers all text in order, for many generated inputs', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const text = generateText(seed);
      const maxBytes = 4 + Math.floor(random(seed * 7)() * 400);
      const chunks = splitText(text, { maxBytes, overlapBytes: Math.floor(maxBytes * 0.1) });
      expectValidSplit(text, chunks, maxBytes);
    }
  });

  it('returns a text that fits as one piece', () => {
    expect(splitText('Short text.', { maxBytes: 100, overlapBytes: 10 })).toEqual([
      { text: 'Short text.', start: 0, end: 11 },
    ]);
  });

  it('cuts at paragraph breaks when paragraphs fit', () => {
    const paragraphs = Array.from({ length: 30 }, (_, i) => `Paragraph ${i} says one thing. And then another.`);
    const text = paragraphs.join('\n\n');
    const chunks = splitText(text, { maxBytes: 160, overlapBytes: 0 });
    expectValidSplit(text, chunks, 160);
    for (const chunk of chunks.slice(0, -1)) expect(chunk.text).toMatch(/another\.\n\n$/);
  });

  it('cuts at sentence ends when a paragraph is too long, and overlaps by whole words', () => {
    const text = Array.from({ length: 40 }, (_, i) => `Sentence number ${i} is here.`).join(' ');
    const chunks = splitText(text, { maxBytes: 120, overlapBytes: 20 });
    expectValidSplit(text, chunks, 120);
    for (const chunk of chunks.slice(0, -1)) expect(chunk.text).toMatch(/here\. $/);
    for (const chunk of chunks.slice(1)) expect(text[chunk.start - 1]).toMatch(/\s/); // starts at a word
    expect(chunks.slice(1).some((chunk, i) => chunk.start < chunks[i]!.end)).toBe(true); // overlap happened
  });

  it('falls back to word boundaries inside one endless sentence', () => {
    const text = Array.from({ length: 500 }, (_, i) => `word${i}`).join(' ');
    const chunks = splitText(text, { maxBytes: 100, overlapBytes: 10 });
    expectValidSplit(text, chunks, 100);
    for (const chunk of chunks.slice(0, -1)) expect(chunk.text).toMatch(/\d $/);
  });

  it('hard-cuts pathological input: one 50 KB line without spaces, and emoji only', () => {
    const line = 'x'.repeat(50_000);
    const chunks = splitText(line, { maxBytes: 1000, overlapBytes: 50 });
    expectValidSplit(line, chunks, 1000);
    expect(chunks.length).toBeGreaterThanOrEqual(50);

    const emoji = '😀'.repeat(5_000);
    expectValidSplit(emoji, splitText(emoji, { maxBytes: 30, overlapBytes: 8 }), 30);
    const cjk = '東京は日本の首都です'.repeat(2_000);
    expectValidSplit(cjk, splitText(cjk, { maxBytes: 200, overlapBytes: 20 }), 200);
  });

  it('handles one 50 KB line with words, and random bytes of every kind, for many budgets', () => {
    const line = generateText(42).replace(/\s+/g, ' ').repeat(20).slice(0, 50_000);
    for (const maxBytes of [4, 5, 17, 64, 333, 4096]) {
      expectValidSplit(line, splitText(line, { maxBytes, overlapBytes: maxBytes / 5 }), maxBytes);
    }
    for (let seed = 1; seed <= 50; seed++) {
      const next = random(seed);
      const text = Array.from({ length: 2000 }, () => String.fromCharCode(Math.floor(next() * 0xffff))).join('');
      const maxBytes = 4 + Math.floor(next() * 200);
      expectValidSplit(text, splitText(text, { maxBytes, overlapBytes: maxBytes / 4 }), maxBytes);
    }
  });

  it('is lazy and fast enough for a 5 MB text', () => {
    const text = generateText(7)
      .repeat(Math.ceil(5_000_000 / generateText(7).length))
      .slice(0, 5_000_000);
    const started = performance.now();
    let count = 0;
    let last = 0;
    for (const chunk of chunkText(text, { maxBytes: 12_000, overlapBytes: 600 })) {
      count++;
      last = chunk.end;
    }
    expect(last).toBe(text.length);
    expect(count).toBeGreaterThan(400);
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});
