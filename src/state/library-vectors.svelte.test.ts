import { describe, expect, it } from 'vitest';
import type { IndexerClient } from '../lib/documents/indexer-client';
import { AnswerTurns } from '../lib/documents/turns';
import type { LoadedModelInfo } from '../lib/engine/types';
import { LibraryVectors } from './library-vectors.svelte';

/** An in-process stand-in for the documents worker: one document of three passages needs vectors. */
function fakeIndexer() {
  const stored: { documentId: string; vectors: number[][] }[] = [];
  let asked = 0;
  const call = (async (kind: string, args: { documentId: string; vectors: number[][] }) => {
    if (kind === 'vector-work') return asked++ === 0 ? { documentId: 'd', texts: ['one', 'two', 'three'] } : null;
    if (kind === 'store-vectors') stored.push({ documentId: args.documentId, vectors: args.vectors });
    return null;
  }) as unknown as IndexerClient['call'];
  return { indexer: { call }, stored };
}

const model = { modelId: 'tiny', canEmbed: true, contextLength: 256 } as LoadedModelInfo;

describe('LibraryVectors', () => {
  it('waits for the answer being written to end (an event, not a poll), then gives every passage its vector', async () => {
    const { indexer, stored } = fakeIndexer();
    const embedded: string[] = [];
    /** Whether an answer was being written at each embedding call. */
    const duringAnswer: boolean[] = [];
    let waited: () => void = () => undefined;
    const waiting = new Promise<void>((resolve) => (waited = resolve));
    // The real AnswerTurns, telling the test when the loop starts waiting on it.
    const turns = new (class extends AnswerTurns {
      override idle() {
        waited();
        return super.idle();
      }
    })();
    const engine = {
      loaded: model,
      embed: async (text: string) => {
        embedded.push(text);
        duringAnswer.push(turns.busy);
        return [text.length, 1];
      },
    };
    const vectors = new LibraryVectors(engine, indexer, turns, () => 'notes.md');
    const endAnswer = turns.begin();
    const run = vectors.embedLibrary();
    await waiting;
    expect(embedded).toEqual([]);
    endAnswer();
    await run;
    expect(duringAnswer).toEqual([false, false, false]);
    expect(embedded).toEqual(['one', 'two', 'three']);
    expect(stored).toEqual([
      {
        documentId: 'd',
        vectors: [
          [3, 1],
          [3, 1],
          [5, 1],
        ],
      },
    ]);
    expect(vectors.vectorModel).toBe('tiny');
  });

  it('embeds a question only when the loaded model can', async () => {
    const { indexer } = fakeIndexer();
    const turns = new AnswerTurns();
    const plain = new LibraryVectors(
      { loaded: { ...model, canEmbed: false }, embed: async () => [1] },
      indexer,
      turns,
      () => '',
    );
    expect(await plain.embedQuestion('q')).toBeUndefined();
    const embeds = new LibraryVectors({ loaded: model, embed: async () => [0.5, 0.5] }, indexer, turns, () => '');
    expect(await embeds.embedQuestion('q')).toEqual({ vector: [0.5, 0.5], model: 'tiny' });
  });
});
