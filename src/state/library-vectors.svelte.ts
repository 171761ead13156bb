/**
 * Meaning search for the library: every passage gets a vector from the loaded model, where it
 * can embed (one passage per call, one document at a time, saved per document), and a question
 * gets its vector before a search. The work steps aside while a grounded answer is written (it
 * waits for AnswerTurns' idle event) and a question only waits for the one call in flight.
 */
import type { IndexerClient } from '../lib/documents/indexer-client';
import type { AnswerTurns } from '../lib/documents/turns';
import { toEngineError } from '../lib/engine/errors';
import type { EngineState } from './engine.svelte';

export interface EmbeddingProgress {
  done: number;
  total: number;
  name: string;
}

export class LibraryVectors {
  /** Passages given vectors by the loaded model, while it works through the library. */
  #embedding = $state.raw<EmbeddingProgress | undefined>(undefined);
  /** The model whose vectors the whole library has (its id), once the work is done. */
  #vectorModel = $state<string | undefined>(undefined);
  /** The embedding call in flight: a question waits for it instead of finding the engine busy. */
  #embedCall: Promise<unknown> = Promise.resolve();
  #loop: Promise<void> | undefined;
  readonly #engine: Pick<EngineState, 'loaded' | 'embed'>;
  readonly #indexer: Pick<IndexerClient, 'call'>;
  readonly #turns: AnswerTurns;
  readonly #nameOf: (documentId: string) => string;

  constructor(
    engine: Pick<EngineState, 'loaded' | 'embed'>,
    indexer: Pick<IndexerClient, 'call'>,
    turns: AnswerTurns,
    nameOf: (id: string) => string,
  ) {
    this.#engine = engine;
    this.#indexer = indexer;
    this.#turns = turns;
    this.#nameOf = nameOf;
  }

  get embedding(): EmbeddingProgress | undefined {
    return this.#embedding;
  }
  get vectorModel(): string | undefined {
    return this.#vectorModel;
  }

  /** Gives the library's passages vectors from the loaded model (one run at a time). */
  embedLibrary(): Promise<void> {
    this.#loop ??= this.#embedAll().finally(() => (this.#loop = undefined));
    return this.#loop;
  }

  /** The text's vector when the loaded model embeds; undefined otherwise or on failure. */
  async embedQuestion(text: string): Promise<{ vector: number[]; model: string } | undefined> {
    const model = this.#engine.loaded;
    if (!model?.canEmbed) return undefined;
    await this.#embedCall;
    try {
      return { vector: await this.#engine.embed(text), model: model.modelId };
    } catch (error) {
      console.warn('The question could not be embedded; searching by words only.', error);
      return undefined;
    }
  }

  async #embedAll(): Promise<void> {
    for (;;) {
      const model = this.#engine.loaded;
      if (!model?.canEmbed) return;
      const work = await this.#indexer.call('vector-work', { model: model.modelId });
      if (!work) {
        this.#vectorModel = model.modelId;
        this.#embedding = undefined;
        return;
      }
      this.#vectorModel = undefined;
      const name = this.#nameOf(work.documentId);
      const vectors: number[][] = [];
      for (const text of work.texts) {
        if (this.#turns.busy) await this.#turns.idle();
        if (this.#engine.loaded?.modelId !== model.modelId) return void (this.#embedding = undefined);
        this.#embedding = { done: vectors.length, total: work.texts.length, name };
        try {
          const call = this.#engine.embed(text);
          this.#embedCall = call.catch(() => undefined);
          vectors.push(await call);
        } catch (error) {
          this.#embedding = undefined;
          // A chat reply took the engine: pick up again at the next question or visit.
          if (toEngineError(error).code !== 'busy') console.warn('Embedding stopped:', error);
          return;
        }
      }
      await this.#indexer.call('store-vectors', { documentId: work.documentId, model: model.modelId, vectors });
    }
  }
}
