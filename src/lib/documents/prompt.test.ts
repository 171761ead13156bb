import { describe, expect, it } from 'vitest';
import { TokenEstimator } from '../summarize/tokens';
import { buildGroundedPrompt, GROUNDED_INSTRUCTIONS, type RankedPassage } from './prompt';
import { splitCitations } from './citations';

const passage = (n: number, text: string): RankedPassage => ({
  passageId: `doc:${n}`,
  documentId: 'doc',
  documentName: 'notes.md',
  index: n,
  text,
});

describe('buildGroundedPrompt', () => {
  it('numbers the passages that fit in rank order and leaves room for the answer', () => {
    const ranked = [1, 2, 3, 4].map((n) => passage(n, `Passage ${n}. ${'word '.repeat(100)}`));
    const estimator = new TokenEstimator();
    const prompt = buildGroundedPrompt('What?', ranked, { contextTokens: 1700, answerTokens: 256, estimator })!;
    expect(prompt.sources.map((source) => source.number)).toEqual([1, 2]);
    expect(prompt.messages[0]!.content).toBe(GROUNDED_INSTRUCTIONS);
    const user = prompt.messages[1]!.content;
    expect(user).toContain('[1] notes.md\nPassage 1.');
    expect(user).toContain('[2] notes.md\nPassage 2.');
    expect(user).not.toContain('Passage 3.');
    expect(user.endsWith('Question: What?')).toBe(true);
    const promptTokens = estimator.tokens(prompt.messages.map((m) => m.content).join('')) + estimator.overheadTokens;
    expect(promptTokens + prompt.answerTokens).toBeLessThanOrEqual(1700);
  });

  it('clips the best passage when it alone is too long, and refuses a window too small for anything', () => {
    const long = passage(1, 'Sentence about the harbour. '.repeat(100));
    const estimator = new TokenEstimator();
    const prompt = buildGroundedPrompt('Harbour?', [long], { contextTokens: 1200, answerTokens: 200, estimator })!;
    expect(prompt.sources[0]!.clipped).toBe(true);
    expect(prompt.sources[0]!.text.length).toBeLessThan(long.text.length);
    expect(buildGroundedPrompt('Harbour?', [long], { contextTokens: 256, answerTokens: 64, estimator })).toBe(
      undefined,
    );
  });
});

describe('splitCitations', () => {
  it('turns [n] of a given source into a citation and leaves other brackets as text', () => {
    expect(splitCitations('Bake it [1][2]. See [7] and [x].', 2)).toEqual([
      { text: 'Bake it ' },
      { cite: 1 },
      { cite: 2 },
      { text: '. See [7] and [x].' },
    ]);
  });
});
