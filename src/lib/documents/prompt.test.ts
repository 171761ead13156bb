import { describe, expect, it } from 'vitest';
import { TokenEstimator } from '../engine/tokens';
import { buildGroundedPrompt, GROUNDED_INSTRUCTIONS, type RankedPassage } from './prompt';

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

describe('buildGroundedPrompt in a chat', () => {
  const turn = (role: 'user' | 'assistant', words: number, tag: string) => ({
    role,
    content: `${tag} ${'talk '.repeat(words)}`,
  });

  it('joins the conversation’s system prompt to the instructions and keeps the newest earlier turns that fit, from a user turn', () => {
    const ranked = [1, 2].map((n) => passage(n, `Passage ${n}. ${'word '.repeat(40)}`));
    const history = [
      turn('user', 200, 'OLDEST'),
      turn('assistant', 20, 'OLD-REPLY'),
      turn('user', 20, 'RECENT'),
      turn('assistant', 20, 'RECENT-REPLY'),
    ];
    const estimator = new TokenEstimator();
    const prompt = buildGroundedPrompt(
      'And then?',
      ranked,
      { contextTokens: 1600, answerTokens: 256, estimator },
      { systemPrompt: 'Be brief.', history },
    )!;
    expect(prompt.messages[0]!.content).toBe(`Be brief.\n\n${GROUNDED_INSTRUCTIONS}`);
    expect(prompt.messages.slice(1, -1).map((m) => m.content.split(' ')[0])).toEqual(['RECENT', 'RECENT-REPLY']);
    expect(prompt.droppedTurns).toBe(2);
    expect(prompt.messages.at(-1)!.content).toContain('[2] notes.md\nPassage 2.');
    expect(prompt.messages.at(-1)!.content.endsWith('Question: And then?')).toBe(true);
    const promptTokens =
      estimator.tokens(prompt.messages.map((m) => m.content).join('')) + estimator.overheadTokens + 8 * 2;
    expect(promptTokens + prompt.answerTokens).toBeLessThanOrEqual(1600);
  });

  it('gives earlier turns at most half of the room, so passages are never crowded out by a long chat', () => {
    const ranked = [1, 2, 3].map((n) => passage(n, `Passage ${n}. ${'word '.repeat(60)}`));
    const estimator = new TokenEstimator();
    const alone = buildGroundedPrompt('Q?', ranked, { contextTokens: 1400, answerTokens: 200, estimator })!;
    const history = Array.from({ length: 20 }, (_, i) => turn(i % 2 ? 'assistant' : 'user', 30, `T${i}`));
    const inChat = buildGroundedPrompt(
      'Q?',
      ranked,
      { contextTokens: 1400, answerTokens: 200, estimator },
      { history },
    )!;
    expect(inChat.sources.length).toBeGreaterThanOrEqual(1);
    expect(inChat.sources.length).toBeLessThanOrEqual(alone.sources.length);
    const historyBytes = inChat.messages.slice(1, -1).reduce((sum, m) => sum + m.content.length, 0);
    expect(historyBytes).toBeLessThanOrEqual((1400 - 200) / 2);
    expect(inChat.messages[1]!.role).toBe('user');
  });
});
