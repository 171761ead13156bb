import { describe, expect, it } from 'vitest';
import { combine, embedInPieces, splitText, type PieceEmbedding } from './embedding-pieces';
import { embeddingInputTooLong } from './llama-errors';

/**
 * A fake llama.cpp for embeddings: one token per character ('#' is four), a micro-batch of
 * `batch` tokens (a longer input is refused with llama.cpp's words), and a vector that counts the
 * input's vowels and consonants, so a whole and its pieces can be compared.
 */
function fakeLlama(batch: number) {
  const calls: string[] = [];
  const tokensOf = (text: string) => text.length + 3 * [...text].filter((c) => c === '#').length;
  const embedOne = async (text: string): Promise<PieceEmbedding> => {
    calls.push(text);
    const tokens = tokensOf(text);
    if (tokens > batch)
      throw new Error(
        `input (${tokens} tokens) is too large to process. increase the physical batch size (current batch size: ${batch})`,
      );
    const vowels = [...text].filter((c) => 'aeiou'.includes(c)).length;
    const others = text.length - vowels;
    const norm = Math.hypot(vowels, others) || 1;
    return { vector: [vowels / norm, others / norm], tokens };
  };
  const tooLong = (error: unknown) => (error instanceof Error ? embeddingInputTooLong(error.message) : undefined);
  return { calls, deps: { embedOne, tooLong } };
}

describe('embedInPieces (a text of any length, however small llama.cpp’s micro-batch)', () => {
  it('embeds a text that fits in one call, with llama.cpp’s own vector', async () => {
    const { calls, deps } = fakeLlama(64);
    const embedded = await embedInPieces('the tide turns twice a day', deps);
    expect(calls).toEqual(['the tide turns twice a day']);
    expect(embedded.tokens).toBe(26);
    expect(embedded.vector).toEqual((await deps.embedOne('the tide turns twice a day')).vector);
  });

  it('embeds a text llama.cpp refuses as too long in pieces that each fit, covering all of it', async () => {
    const { calls, deps } = fakeLlama(40);
    const text = 'High water on Saturday is at twenty to seven and again at five past seven in the evening.';
    const embedded = await embedInPieces(text, deps);
    const pieces = calls.slice(1);
    expect(pieces.length).toBeGreaterThanOrEqual(3);
    expect(pieces.every((piece) => piece.length <= 40)).toBe(true);
    expect(pieces.join('')).toBe(text);
    expect(embedded.tokens).toBe(text.length);
    expect(Math.hypot(...embedded.vector)).toBeCloseTo(1, 6);
  });

  it('cuts a piece that is still too long again (tokens per character vary along a text)', async () => {
    const { calls, deps } = fakeLlama(20);
    // 140 tokens, cut by length into pieces of 10 characters: those of '#' are 40 tokens each.
    const text = 'x'.repeat(60) + '#'.repeat(20);
    const embedded = await embedInPieces(text, deps);
    const refused = calls.filter((call) => call !== text && call.includes('#') && call.length === 10);
    expect(refused.length).toBeGreaterThan(0);
    const accepted = calls.filter((call) => call.length + 3 * [...call].filter((c) => c === '#').length <= 20);
    expect(accepted.join('')).toBe(text);
    expect(embedded.tokens).toBe(140);
  });

  it('passes on any other failure as it came', async () => {
    const failure = new Error('the model is not loaded');
    await expect(
      embedInPieces('some text', {
        embedOne: () => Promise.reject(failure),
        tooLong: () => undefined,
      }),
    ).rejects.toBe(failure);
  });
});

describe('combine', () => {
  it('weighs each piece by its tokens, as mean pooling weighs every token alike, and returns a unit vector', () => {
    const combined = combine([
      { vector: [1, 0], tokens: 30 },
      { vector: [0, 1], tokens: 10 },
    ]);
    expect(combined.tokens).toBe(40);
    expect(combined.vector[0]! / combined.vector[1]!).toBeCloseTo(3, 6);
    expect(Math.hypot(...combined.vector)).toBeCloseTo(1, 6);
  });
});

describe('splitText', () => {
  it('cuts after spaces, in about the pieces asked for, and loses nothing but empty pieces', () => {
    const text = 'one two three four five six seven eight nine ten eleven twelve';
    const pieces = splitText(text, 3);
    expect(pieces.length).toBeGreaterThanOrEqual(3);
    expect(pieces.length).toBeLessThanOrEqual(4);
    expect(pieces.join('')).toBe(text);
    for (const piece of pieces.slice(0, -1)) expect(piece.endsWith(' ')).toBe(true);
  });

  it('cuts at line breaks too', () => {
    expect(splitText('first line here\nsecond line here', 2)).toEqual(['first line here\n', 'second line here']);
  });

  it('never splits a character outside the Basic Multilingual Plane', () => {
    const text = '🌊'.repeat(9);
    const pieces = splitText(text, 4);
    expect(pieces.join('')).toBe(text);
    for (const piece of pieces) expect([...piece].every((c) => c === '🌊')).toBe(true);
  });

  it('leaves out pieces of spaces only', () => {
    expect(splitText('word' + ' '.repeat(12) + 'word', 4).every((piece) => piece.trim() !== '')).toBe(true);
  });
});
