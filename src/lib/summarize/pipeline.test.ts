import { describe, expect, it } from 'vitest';
import { REPLY_TOKENS } from '../../../test-support/make-tiny-model.mjs';
import { isAbortError } from '../engine/errors';
import { SummarizeError } from './errors';
import { summarize, type SummarizeProgress } from './pipeline';
import { FakeEngine } from '../engine/testing/fake-engine';
import { TokenEstimator } from '../engine/tokens';

/** A document of numbered sentences, so tests can check each one was read. */
function documentOf(chars: number): string {
  const sentences: string[] = [];
  for (let i = 0, length = 0; length < chars; i++) {
    const sentence =
      i % 6 === 5
        ? `Fact ${i} is that the meeting moved to room ${i % 7}.\n\n`
        : `Fact ${i} is that the meeting moved to room ${i % 7}. `;
    sentences.push(sentence);
    length += sentence.length;
  }
  return sentences.join('').slice(0, chars);
}

const options = { length: 'medium', form: 'paragraph' } as const;

describe('summarize (map-reduce, with FakeEngine standing in for llama.cpp)', () => {
  it('summarizes a text that fits in one streamed call', async () => {
    const engine = new FakeEngine({ contextLength: 4096 });
    const streamed: string[] = [];
    const result = await summarize(
      { text: 'A short note about Nook.', options, contextLength: 4096 },
      { engine, onToken: (t) => streamed.push(t) },
    );
    expect(engine.calls).toHaveLength(1);
    expect(engine.calls[0]!.prompt).toContain('A short note about Nook.');
    expect(engine.calls[0]!.prompt).toMatch(/in its own language/);
    expect(result).toMatchObject({ pieces: 0, reduceLevels: 0, calls: 1, retries: 0 });
    expect(result.text).toBe(streamed.join('').trim());
  });

  it('reads a 20,000-character text with a 256-token window through many pieces and merge levels', async () => {
    const text = documentOf(20_000);
    // The e2e test model's window and reply, token by token.
    const engine = new FakeEngine({ contextLength: 256, replyWords: REPLY_TOKENS });
    const progress: SummarizeProgress[] = [];
    const streamed: string[] = [];
    const result = await summarize(
      { text, options, contextLength: 256 },
      { engine, onProgress: (p) => progress.push(p), onToken: (t) => streamed.push(t) },
    );
    expect(engine.calls.every((call) => !call.refused)).toBe(true);
    expect(engine.calls.every((call) => call.promptTokens + call.maxTokens <= 256)).toBe(true);
    expect(result.pieces).toBeGreaterThan(50);
    expect(result.reduceLevels).toBeGreaterThanOrEqual(2);
    const merges = result.calls - result.pieces - 1;
    expect(merges).toBeGreaterThanOrEqual(result.pieces / 2 - 1); // at most 2 partial summaries a merge here
    expect(result.calls).toBe(engine.calls.length);
    // Every sentence of the document reached the model, in order.
    const mapPrompts = engine.calls.slice(0, result.pieces).map((call) => call.prompt);
    let lastPiece = 0;
    for (let i = 0; text.includes(`Fact ${i} `); i++) {
      const piece = mapPrompts.findIndex((prompt, index) => index >= lastPiece && prompt.includes(`Fact ${i} `));
      expect(piece, `Fact ${i}`).toBeGreaterThanOrEqual(lastPiece);
      lastPiece = piece;
    }
    // Progress: every piece was announced as "part n of m"; the last stage is the streamed answer.
    const reading = progress.filter((p) => p.stage === 'reading');
    expect(reading.map((p) => p.part)).toEqual(Array.from({ length: result.pieces }, (_, i) => i + 1));
    expect(reading.every((p) => p.total === result.pieces)).toBe(true);
    expect(new Set(progress.filter((p) => p.stage === 'combining').map((p) => p.level)).size).toBe(result.reduceLevels);
    expect(progress.at(-1)).toMatchObject({ stage: 'writing', part: 1, total: 1 });
    expect(result.text).toBe(streamed.join('').trim());
  });

  it('calibrates from reported prompt sizes: a real tokenizer needs far fewer calls than bytes suggest', async () => {
    const text = documentOf(60_000);
    const engine = new FakeEngine({ contextLength: 2048, tokensPerByte: 0.25 });
    const estimator = new TokenEstimator();
    const result = await summarize({ text, options, contextLength: 2048 }, { engine, estimator });
    const uncalibratedPieces = Math.ceil(60_000 / (2048 - 256 - 82 - 16 - 100));
    expect(estimator.tokensPerByte).toBeLessThan(0.5);
    expect(result.pieces).toBeLessThan(uncalibratedPieces / 2);
    expect(engine.calls.every((call) => !call.refused)).toBe(true);
  });

  it('re-splits a piece the engine refuses as too long, and retries', async () => {
    // Denser than the byte estimate can know (e.g. a template that adds a long system text).
    const engine = new FakeEngine({ contextLength: 1024, tokensPerByte: 1, templateTokens: 400 });
    const text = documentOf(8_000).replaceAll('\n\n', ' '); // one paragraph: pieces fill their budget
    const result = await summarize({ text, options, contextLength: 1024 }, { engine });
    expect(result.retries).toBeGreaterThan(0);
    expect(engine.calls.some((call) => call.refused)).toBe(true);
    // After learning from the refusal, the rest of the document went through without one.
    const lastRefused = engine.calls.findLastIndex((call) => call.refused);
    expect(lastRefused).toBeLessThan(engine.calls.length / 2);
    expect(result.text.length).toBeGreaterThan(0);
  });

  it('stops at once when cancelled mid-way, and makes no further calls', async () => {
    const controller = new AbortController();
    const engine = new FakeEngine({
      contextLength: 256,
      beforeReply: (call) => {
        if (call === 5) controller.abort();
      },
    });
    const run = summarize(
      { text: documentOf(20_000), options, contextLength: 256 },
      { engine, signal: controller.signal },
    );
    await expect(run).rejects.toSatisfy(isAbortError);
    expect(engine.calls).toHaveLength(5);
  });

  it('makes no call when already cancelled, including during planning of a huge text', async () => {
    const controller = new AbortController();
    controller.abort();
    const engine = new FakeEngine({ contextLength: 256 });
    await expect(
      summarize({ text: documentOf(400_000), options, contextLength: 256 }, { engine, signal: controller.signal }),
    ).rejects.toSatisfy(isAbortError);
    expect(engine.calls).toHaveLength(0);
  });

  it('refuses empty text and a window too small for the instructions', async () => {
    const engine = new FakeEngine({ contextLength: 256 });
    await expect(summarize({ text: '  \n ', options, contextLength: 256 }, { engine })).rejects.toMatchObject({
      code: 'empty',
    });
    await expect(summarize({ text: documentOf(1000), options, contextLength: 96 }, { engine })).rejects.toBeInstanceOf(
      SummarizeError,
    );
    expect(engine.calls).toHaveLength(0);
  });

  it('gives the final pass the chosen length and form, and the partial passes short replies', async () => {
    const engine = new FakeEngine({ contextLength: 4096, tokensPerByte: 0.3 });
    await summarize(
      { text: documentOf(40_000), options: { length: 'long', form: 'key-points' }, contextLength: 4096 },
      { engine },
    );
    const final = engine.calls.at(-1)!;
    expect(final.prompt).toMatch(/key points, then "Action items:"/);
    expect(final.maxTokens).toBe(800);
    expect(engine.calls.slice(0, -1).every((call) => call.maxTokens <= 192)).toBe(true);
  });
});
