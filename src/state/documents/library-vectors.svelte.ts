/**
 * Meaning search for the library: every passage gets a vector from the loaded model, where it
 * can embed (one passage per call, one document at a time, saved per document), and a question
 * gets its vector before a search. The work steps aside while a grounded answer is written (it
 * waits for AnswerTurns' idle event) and a question only waits for the one call in flight.
 *
 * When the loaded model cannot embed after all (this tab had no memory to turn its embeddings
 * on, say), the reason is kept and shown, and neither the library nor a question asks that load
 * again: each attempt would cost two loads of the model. Questions are then searched by words
 * until the user tries again (`retry`) or loads a model.
 */
import type { IndexerClient } from '../../lib/documents/indexer-client';
import type { AnswerTurns } from '../../lib/documents/turns';
import { toEngineError } from '../../lib/engine/errors';
import type { LoadedModelInfo } from '../../lib/engine/types';
import type { EngineState } from '../engine/engine.svelte';

export interface EmbeddingProgress {
  done: number;
  total: number;
  name: string;
}

/** Why meaning search stopped, for which load of a model. */
interface Stopped {
  loaded: LoadedModelInfo;
  message: string;
}

export class LibraryVectorsState {
  /** Passages given vectors by the loaded model, while it works through the library. */
  #embedding = $state.raw<EmbeddingProgress | undefined>(undefined);
  /** The model whose vectors the whole library has (its id), once the work is done. */
  #vectorModel = $state<string | undefined>(undefined);
  #stopped = $state.raw<Stopped | undefined>(undefined);
  /** The embedding call in flight: a question waits for it instead of finding the engine busy. */
  #embedCall: Promise<unknown> = Promise.resolve();
  #loop: Promise<void> | undefined;
  /** A document came in while a run was under way: that run looks for work once more. */
  #again = false;
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
  /** Why the loaded model gives no vectors after all (questions are searched by words), if so. */
  get stopped(): string | undefined {
    const stopped = this.#stopped;
    return stopped && stopped.loaded === this.#engine.loaded ? stopped.message : undefined;
  }

  /** Gives the library's passages vectors from the loaded model (one run at a time). */
  embedLibrary(): Promise<void> {
    if (this.stopped !== undefined) return Promise.resolve();
    this.#loop ??= this.#embedAll().finally(() => {
      this.#loop = undefined;
      // Added as the run ended: another one takes it.
      if (this.#again) void this.embedLibrary();
    });
    return this.#loop;
  }

  /** A document was added: until its passages have vectors, the library is not wholly searched by meaning. */
  documentAdded(): void {
    this.#vectorModel = undefined;
    this.#again = true;
    void this.embedLibrary();
  }

  /** Forgets why meaning search stopped and gives the library its vectors again. */
  retry(): Promise<void> {
    this.#stopped = undefined;
    return this.embedLibrary();
  }

  /** The text's vector when the loaded model embeds; undefined otherwise or on failure. */
  async embedQuestion(text: string): Promise<{ vector: number[]; model: string } | undefined> {
    const model = this.#engine.loaded;
    if (!model?.canEmbed || this.stopped !== undefined) return undefined;
    await this.#embedCall;
    try {
      return { vector: await this.#engine.embed(text), model: model.modelId };
    } catch (error) {
      this.#stop(model, error);
      return undefined;
    }
  }

  /** Keeps why `loaded` could not embed, unless a chat reply only had the engine (then: later). */
  #stop(loaded: LoadedModelInfo, error: unknown): void {
    const failure = toEngineError(error);
    if (failure.code === 'busy') return;
    console.warn('Embedding stopped; searching by words only.', error);
    this.#stopped = { loaded, message: failure.message };
  }

  async #embedAll(): Promise<void> {
    for (;;) {
      this.#again = false;
      const model = this.#engine.loaded;
      if (!model?.canEmbed) return;
      const work = await this.#indexer.call('vector-work', { model: model.modelId });
      if (!work && this.#again) continue;
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
          // A chat reply that took the engine is no reason: then pick up at the next question or visit.
          this.#stop(model, error);
          return;
        }
      }
      await this.#indexer.call('store-vectors', { documentId: work.documentId, model: model.modelId, vectors });
    }
  }
}
