import { describe, expect, it } from 'vitest';
import { FakeEngine } from '../engine/testing/fake-engine';
import { Grounder, type SearchQuery } from './grounder';
import type { FoundPassage } from './library';
import { AnswerTurns } from './turns';

const found = (n: number): FoundPassage => ({
  passageId: `d:${n}`,
  documentId: 'd',
  documentName: 'notes.md',
  index: n,
  text: `Passage ${n}: the harbour wall was repaired in May.`,
});

function setup(embeds: boolean) {
  const searches: SearchQuery[] = [];
  const turns = new AnswerTurns();
  const grounder = new Grounder({
    search: async (query) => {
      searches.push(query);
      return [found(1), found(2)];
    },
    embed: async (text) => (embeds ? { vector: [text.length, 1], model: 'tiny' } : undefined),
    turns,
  });
  return { grounder, searches, turns };
}

describe('Grounder', () => {
  it('searches the chosen documents by words and, when the model embeds, by the question’s vector', async () => {
    const { grounder, searches } = setup(true);
    await grounder.search('wall?', 5, ['d']);
    expect(searches).toEqual([{ text: 'wall?', limit: 5, documentIds: ['d'], vector: [5, 1], model: 'tiny' }]);
    const plain = setup(false);
    await plain.grounder.search('wall?');
    expect(plain.searches[0]).toEqual({ text: 'wall?', limit: 12 });
  });

  it('answers from passages already found without searching again, and marks the answer as being written until it ends', async () => {
    const { grounder, searches, turns } = setup(false);
    const engine = new FakeEngine({
      contextLength: 2048,
      beforeReply: () => expect(turns.busy).toBe(true),
    });
    const outcome = await grounder.answer({
      question: 'When was the wall repaired?',
      ranked: [found(2)],
      model: { modelId: 'tiny', contextLength: 2048 },
      chat: (request, callbacks, signal) => engine.chat(request, callbacks, signal),
      onSources: () => undefined,
      onToken: () => undefined,
    });
    expect(searches).toHaveLength(0);
    expect(outcome).toMatchObject({ kind: 'answered', sources: [{ number: 1, passageId: 'd:2' }] });
    expect(engine.calls[0]!.prompt).toContain('Passage 2');
    expect(turns.busy).toBe(false);
  });

  it('ends the answer’s turn when the engine fails, so background work is not held up', async () => {
    const { grounder, turns } = setup(false);
    const failing = grounder.answer({
      question: 'Q?',
      model: { modelId: 'tiny', contextLength: 2048 },
      chat: async () => {
        throw new Error('engine gone');
      },
      onSources: () => undefined,
      onToken: () => undefined,
    });
    await expect(failing).rejects.toThrow('engine gone');
    expect(turns.busy).toBe(false);
    await expect(turns.idle()).resolves.toBeUndefined();
  });
});
