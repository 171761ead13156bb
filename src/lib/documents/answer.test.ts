import { describe, expect, it } from 'vitest';
import { FakeEngine } from '../engine/testing/fake-engine';
import { TokenEstimator } from '../engine/tokens';
import { answerFromDocuments } from './answer';
import type { RankedPassage } from './prompt';

const passages: RankedPassage[] = [1, 2, 3, 4, 5, 6].map((n) => ({
  passageId: `d:${n}`,
  documentId: 'd',
  documentName: 'notes.md',
  index: n,
  text: `Passage ${n}: ${'the harbour wall was repaired in May. '.repeat(8)}`,
}));

describe('answerFromDocuments', () => {
  it('never sends a prompt longer than the window minus the answer, and reports the sources given', async () => {
    const engine = new FakeEngine({ contextLength: 1024 });
    let given = 0;
    const outcome = await answerFromDocuments({
      question: 'When was the wall repaired?',
      contextLength: 1024,
      estimator: new TokenEstimator(),
      search: async () => passages,
      chat: (request, callbacks, signal) => engine.chat(request, callbacks, signal),
      onSources: (sources) => (given = sources.length),
      onToken: () => undefined,
    });
    expect(outcome.kind).toBe('answered');
    expect(given).toBeGreaterThan(0);
    expect(given).toBeLessThan(passages.length);
    const [call] = engine.calls;
    expect(call!.refused).toBe(false);
    expect(call!.promptTokens + call!.maxTokens).toBeLessThanOrEqual(1024);
  });

  it('does not ask the model when no passage is relevant', async () => {
    const engine = new FakeEngine({ contextLength: 1024 });
    const outcome = await answerFromDocuments({
      question: 'Anything?',
      contextLength: 1024,
      estimator: new TokenEstimator(),
      search: async () => [],
      chat: (request, callbacks, signal) => engine.chat(request, callbacks, signal),
      onSources: () => undefined,
      onToken: () => undefined,
    });
    expect(outcome).toEqual({ kind: 'no-passages' });
    expect(engine.calls).toHaveLength(0);
  });
});
