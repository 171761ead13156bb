import { describe, expect, it } from 'vitest';
import type { IndexerClient } from '../../lib/documents/indexer-client';
import { AnswerTurns } from '../../lib/documents/turns';
import { EngineError } from '../../lib/engine/errors';
import type { LoadedModelInfo } from '../../lib/engine/types';
import { LibraryVectorsState } from './library-vectors.svelte';

/** An in-process stand-in for the documents worker: one document of three passages needs vectors until stored. */
function fakeIndexer() {
  const stored: { documentId: string; vectors: number[][] }[] = [];
  const call = (async (kind: string, args: { documentId: string; vectors: number[][] }) => {
    if (kind === 'vector-work') return stored.length === 0 ? { documentId: 'd', texts: ['one', 'two', 'three'] } : null;
    if (kind === 'store-vectors') stored.push({ documentId: args.documentId, vectors: args.vectors });
    return null;
  }) as unknown as IndexerClient['call'];
  return { indexer: { call }, stored };
}

const model = { modelId: 'tiny', canEmbed: true, contextLength: 256 } as LoadedModelInfo;

describe('LibraryVectorsState', () => {
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
    const vectors = new LibraryVectorsState(engine, indexer, turns, () => 'notes.md');
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
    const plain = new LibraryVectorsState(
      { loaded: { ...model, canEmbed: false }, embed: async () => [1] },
      indexer,
      turns,
      () => '',
    );
    expect(await plain.embedQuestion('q')).toBeUndefined();
    const embeds = new LibraryVectorsState({ loaded: model, embed: async () => [0.5, 0.5] }, indexer, turns, () => '');
    expect(await embeds.embedQuestion('q')).toEqual({ vector: [0.5, 0.5], model: 'tiny' });
  });

  it('keeps why the loaded model could not embed, asks that load no more, and asks again on Try again or another load', async () => {
    const { indexer, stored } = fakeIndexer();
    const refusal = new EngineError('out-of-memory', 'This tab has no memory to search by meaning with tiny.');
    let calls = 0;
    let works = false;
    const engine = {
      loaded: model as LoadedModelInfo | undefined,
      embed: async (text: string) => {
        calls++;
        if (!works) throw refusal;
        return [text.length];
      },
    };
    const vectors = new LibraryVectorsState(engine, indexer, new AnswerTurns(), () => 'notes.md');
    await vectors.embedLibrary();
    expect(vectors.stopped).toBe(refusal.message);
    expect(vectors.embedding).toBeUndefined();
    // Neither the library nor a question loads the model again for nothing.
    await vectors.embedLibrary();
    expect(await vectors.embedQuestion('q')).toBeUndefined();
    expect(calls).toBe(1);

    await vectors.retry();
    expect(calls).toBe(2);
    expect(vectors.stopped).toBe(refusal.message);

    // Another load of a model is another chance.
    engine.loaded = { ...model };
    expect(vectors.stopped).toBeUndefined();
    works = true;
    await vectors.embedLibrary();
    expect(stored).toEqual([{ documentId: 'd', vectors: [[3], [3], [5]] }]);
    expect(vectors.vectorModel).toBe('tiny');
  });

  it('stops for a failed question too, but not when a chat reply only had the engine', async () => {
    const { indexer } = fakeIndexer();
    let failure = new EngineError('busy', 'A reply is being written.');
    const engine = {
      loaded: model,
      embed: async () => {
        throw failure;
      },
    };
    const vectors = new LibraryVectorsState(engine, indexer, new AnswerTurns(), () => '');
    expect(await vectors.embedQuestion('q')).toBeUndefined();
    await vectors.embedLibrary();
    expect(vectors.stopped).toBeUndefined();
    failure = new EngineError('inference-failed', 'Embeddings could not be turned on: llama.cpp refused.');
    expect(await vectors.embedQuestion('q')).toBeUndefined();
    expect(vectors.stopped).toBe(failure.message);
  });

  it('takes a document added while a run was finding nothing to do, and only then says the library is searched by meaning', async () => {
    const stored: string[] = [];
    let documents: string[] = [];
    const call = (async (kind: string, args: { documentId: string }) => {
      if (kind === 'store-vectors') stored.push(args.documentId);
      if (kind !== 'vector-work') return null;
      await Promise.resolve(); // the documents worker answers later, as over postMessage
      const work = documents.find((id) => !stored.includes(id));
      if (documents.length === 0) {
        // The first file is added while this run looks, and finds the library empty.
        documents = ['added'];
        vectors.documentAdded();
        expect(vectors.vectorModel).toBeUndefined();
      }
      return work ? { documentId: work, texts: ['one'] } : null;
    }) as unknown as IndexerClient['call'];
    const vectors = new LibraryVectorsState(
      { loaded: model, embed: async () => [1] },
      { call },
      new AnswerTurns(),
      () => '',
    );
    await vectors.embedLibrary();
    expect(stored).toEqual(['added']);
    expect(vectors.vectorModel).toBe('tiny');
  });
});
