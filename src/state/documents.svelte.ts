/**
 * The Documents view's state: the library (kept by the documents worker), files being added,
 * the question being answered with its sources, and the document open in the reader.
 * Orchestration only: passages, index and prompts are lib/documents; the worker owns storage.
 */
import { isAbortError, toEngineError } from '../lib/engine/errors';
import type { CompletionStats } from '../lib/engine/types';
import { answerFromDocuments } from '../lib/documents/answer';
import { IndexerClient, IndexerError } from '../lib/documents/indexer-client';
import { intakeRoad } from '../lib/documents/intake';
import type { IndexingProgress, OpenedDocument } from '../lib/documents/library';
import type { DocumentRecord } from '../lib/documents/library-db';
import type { GivenSource } from '../lib/documents/prompt';
import { extractFile } from '../lib/summarize/extract';
import { SummarizeError } from '../lib/summarize/errors';
import { TokenEstimator } from '../lib/summarize/tokens';
import type { EngineState } from './engine.svelte';

export interface AddingFile {
  key: number;
  name: string;
  progress: IndexingProgress;
}

export interface Refusal {
  name: string;
  message: string;
}

export type AnswerStatus = 'searching' | 'answering' | 'done' | 'stopped' | 'no-passages' | 'failed';

export interface DocumentAnswer {
  question: string;
  status: AnswerStatus;
  sources: GivenSource[];
  text: string;
  stats?: CompletionStats;
  /** The window the prompt had to fit. */
  contextLength: number;
  message?: string;
}

export interface ReaderState extends OpenedDocument {
  /** Index of the passage to show highlighted. */
  passage: number | undefined;
}

const createIndexerWorker = () =>
  new Worker(new URL('../lib/documents/indexer.worker.ts', import.meta.url), {
    type: 'module',
    name: 'nook-documents',
  });

/** Streamed text reaches the screen at most this often (as in chat). */
const REDRAW_MS = 100;

export class DocumentsState {
  #documents = $state.raw<DocumentRecord[]>([]);
  #ready = $state(false);
  #adding = $state.raw<AddingFile[]>([]);
  #refusals = $state.raw<Refusal[]>([]);
  #error = $state<string | undefined>(undefined);
  #chosen = $state.raw<readonly string[]>([]);
  #answer = $state.raw<DocumentAnswer | undefined>(undefined);
  #reader = $state.raw<ReaderState | undefined>(undefined);
  /** Passages given vectors by the loaded model, while it works through the library. */
  #embedding = $state.raw<{ done: number; total: number; name: string } | undefined>(undefined);
  /** The model whose vectors the whole library has (its id), once the work is done. */
  #vectorModel = $state<string | undefined>(undefined);
  /** The embedding call in flight: a question waits for it instead of finding the engine busy. */
  #embedCall: Promise<unknown> = Promise.resolve();
  #embedLoop: Promise<void> | undefined;

  readonly #engine: EngineState;
  readonly #claimEngine: () => Promise<void>;
  readonly #indexer: IndexerClient;
  #nextKey = 1;
  #run: AbortController | undefined;
  /** Calibration per model; not shown, so not reactive. */
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  readonly #estimators = new Map<string, TokenEstimator>();

  readonly totalBytes = $derived(this.#documents.reduce((sum, record) => sum + record.bytes, 0));

  constructor(engine: EngineState, claimEngine: () => Promise<void> = async () => {}, indexer?: IndexerClient) {
    this.#engine = engine;
    this.#claimEngine = claimEngine;
    this.#indexer = indexer ?? new IndexerClient(createIndexerWorker);
  }

  get documents(): readonly DocumentRecord[] {
    return this.#documents;
  }
  get ready(): boolean {
    return this.#ready;
  }
  get adding(): readonly AddingFile[] {
    return this.#adding;
  }
  get refusals(): readonly Refusal[] {
    return this.#refusals;
  }
  get error(): string | undefined {
    return this.#error;
  }
  get chosen(): readonly string[] {
    return this.#chosen;
  }
  get answer(): DocumentAnswer | undefined {
    return this.#answer;
  }
  get reader(): ReaderState | undefined {
    return this.#reader;
  }
  get embedding(): { done: number; total: number; name: string } | undefined {
    return this.#embedding;
  }
  get vectorModel(): string | undefined {
    return this.#vectorModel;
  }
  get answering(): boolean {
    return this.#answer?.status === 'searching' || this.#answer?.status === 'answering';
  }

  async refresh(): Promise<void> {
    try {
      this.#documents = await this.#indexer.call('list', {});
      this.#error = undefined;
    } catch (error) {
      this.#error = `Your documents could not be read: ${error instanceof Error ? error.message : String(error)}`;
    } finally {
      this.#ready = true;
    }
  }

  /** Files picked or dropped: each is read, cut and indexed in turn; refusals say why. */
  async addFiles(files: readonly File[]): Promise<void> {
    this.#refusals = [];
    for (const file of files) await this.#addOne(file.name || 'Shared file', file);
  }

  async addText(text: string, name = 'Pasted text'): Promise<boolean> {
    this.#refusals = [];
    if (!/\S/.test(text)) {
      this.#refuse(name, 'There is no text to add. Paste some text first.');
      return false;
    }
    const stamp = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short' }).format(Date.now());
    return this.#index(`${name} (${stamp})`, (onProgress) =>
      this.#indexer.call('add-text', { document: { name: `${name} (${stamp})`, kind: 'text', text } }, onProgress),
    );
  }

  async remove(id: string): Promise<void> {
    try {
      await this.#indexer.call('delete', { documentId: id });
      this.#documents = this.#documents.filter((record) => record.id !== id);
      this.#chosen = this.#chosen.filter((chosen) => chosen !== id);
      if (this.#reader?.record.id === id) this.#reader = undefined;
    } catch (error) {
      this.#error = `The document could not be deleted: ${error instanceof Error ? error.message : String(error)}`;
    }
  }

  /** Ask over these documents only; none chosen means the whole library. */
  toggleChosen(id: string): void {
    this.#chosen = this.#chosen.includes(id) ? this.#chosen.filter((chosen) => chosen !== id) : [...this.#chosen, id];
  }

  async ask(question: string): Promise<void> {
    const model = this.#engine.loaded;
    const trimmed = question.trim();
    if (!model || !trimmed || this.answering) return;
    const controller = new AbortController();
    this.#run = controller;
    const documentIds = this.#chosen.length > 0 ? [...this.#chosen] : undefined;
    let answer: DocumentAnswer = {
      question: trimmed,
      status: 'searching',
      sources: [],
      text: '',
      contextLength: model.contextLength,
    };
    const show = (next: Partial<DocumentAnswer>) => {
      answer = { ...answer, ...next };
      if (this.#run === controller) this.#answer = answer;
    };
    show({});
    let estimator = this.#estimators.get(model.modelId);
    if (!estimator) this.#estimators.set(model.modelId, (estimator = new TokenEstimator()));
    let streamed = '';
    let redraw: ReturnType<typeof setTimeout> | undefined;
    try {
      await this.#claimEngine();
      const outcome = await answerFromDocuments({
        question: trimmed,
        contextLength: model.contextLength,
        estimator,
        search: async (text, limit) => {
          const vector = await this.#embedQuestion(text);
          return this.#indexer.call('search', {
            text,
            limit,
            ...(documentIds ? { documentIds } : {}),
            ...(vector ? { vector, model: model.modelId } : {}),
          });
        },
        chat: (request, callbacks, signal) => this.#engine.chat(request, callbacks, signal),
        onSources: (sources) => show({ sources, status: 'answering' }),
        onToken: (token) => {
          streamed += token;
          redraw ??= setTimeout(() => {
            redraw = undefined;
            show({ text: streamed });
          }, REDRAW_MS);
        },
        signal: controller.signal,
      });
      clearTimeout(redraw);
      if (outcome.kind === 'no-passages') {
        show({
          status: 'no-passages',
          message:
            documentIds === undefined
              ? 'None of your documents mentions this, so Nook did not ask the model. Try other words, or add the document that answers it.'
              : 'The chosen documents do not mention this, so Nook did not ask the model. Try other words, or ask the whole library.',
        });
      } else if (outcome.kind === 'window-too-small') {
        show({
          status: 'failed',
          message: `${model.name ?? 'This model'}’s window (${model.contextLength} tokens) is too small to hold a passage and an answer. Load a model with a larger window.`,
        });
      } else {
        const stopped = outcome.stats.finishReason === 'aborted';
        show({ text: streamed, stats: outcome.stats, status: stopped ? 'stopped' : 'done' });
      }
    } catch (error) {
      clearTimeout(redraw);
      if (isAbortError(error)) {
        show({ text: streamed, status: 'stopped' });
      } else {
        const engineError = toEngineError(error);
        show({
          text: streamed,
          status: 'failed',
          message:
            error instanceof IndexerError
              ? error.message
              : engineError.code === 'busy'
                ? 'The model is busy with another reply; ask again when it is done.'
                : engineError.message,
        });
      }
    } finally {
      if (this.#run === controller) this.#run = undefined;
    }
  }

  stop(): void {
    this.#run?.abort();
  }

  /**
   * Gives every passage a vector from the loaded model, where it can embed: one passage per
   * call, one document at a time, saved per document. Yields to questions and chat (it pauses
   * while an answer is written, and a reply only waits for the one call in flight).
   */
  embedLibrary(): Promise<void> {
    this.#embedLoop ??= this.#embedAll().finally(() => (this.#embedLoop = undefined));
    return this.#embedLoop;
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
      const name = this.#documents.find((record) => record.id === work.documentId)?.name ?? '';
      const vectors: number[][] = [];
      for (const text of work.texts) {
        if (this.#engine.loaded?.modelId !== model.modelId) return void (this.#embedding = undefined);
        this.#embedding = { done: vectors.length, total: work.texts.length, name };
        try {
          const call = this.#engine.embed(text);
          this.#embedCall = call.catch(() => undefined);
          vectors.push(await call);
        } catch (error) {
          this.#embedding = undefined;
          // A chat or an answer took the engine: pick up again at the next question or visit.
          if (toEngineError(error).code !== 'busy') console.warn('Embedding stopped:', error);
          return;
        }
        while (this.answering) await this.#answerFinished();
      }
      await this.#indexer.call('store-vectors', { documentId: work.documentId, model: model.modelId, vectors });
    }
  }

  #answerFinished(): Promise<void> {
    return new Promise((resolve) => {
      const check = () => (this.answering ? setTimeout(check, 200) : resolve());
      check();
    });
  }

  /** The question's vector, when the loaded model embeds; undefined otherwise or on failure. */
  async #embedQuestion(text: string): Promise<number[] | undefined> {
    if (!this.#engine.loaded?.canEmbed) return undefined;
    await this.#embedCall;
    try {
      return await this.#engine.embed(text);
    } catch (error) {
      console.warn('The question could not be embedded; searching by words only.', error);
      return undefined;
    }
  }

  /** The reader at a document (and one of its passages, highlighted), or closed. */
  async open(documentId: string | undefined, passage?: number): Promise<void> {
    if (!documentId) {
      this.#reader = undefined;
      return;
    }
    if (this.#reader?.record.id === documentId) {
      this.#reader = { ...this.#reader, passage };
      return;
    }
    try {
      const opened = await this.#indexer.call('open', { documentId });
      this.#reader = { ...opened, passage };
    } catch (error) {
      this.#reader = undefined;
      this.#error = error instanceof Error ? error.message : String(error);
    }
  }

  dismissRefusals(): void {
    this.#refusals = [];
  }

  async #addOne(name: string, file: File): Promise<void> {
    const road = await intakeRoad(file);
    if ('refused' in road) return this.#refuse(name, road.refused);
    if (road.road === 'worker') {
      await this.#index(name, (onProgress) =>
        this.#indexer.call('add-file', { file, format: road.format }, onProgress),
      );
      return;
    }
    await this.#index(name, async (onProgress) => {
      onProgress({ phase: 'reading' });
      const extracted = await extractFile(file);
      return this.#indexer.call(
        'add-text',
        {
          document: {
            name,
            kind: extracted.kind,
            text: extracted.text,
            ...(extracted.pages ? { pages: extracted.pages } : {}),
          },
        },
        onProgress,
      );
    });
  }

  async #index(
    name: string,
    run: (onProgress: (progress: IndexingProgress) => void) => Promise<DocumentRecord>,
  ): Promise<boolean> {
    const key = this.#nextKey++;
    this.#adding = [...this.#adding, { key, name, progress: { phase: 'reading' } }];
    try {
      const record = await run((progress) => {
        this.#adding = this.#adding.map((entry) => (entry.key === key ? { ...entry, progress } : entry));
      });
      this.#documents = [record, ...this.#documents];
      void this.embedLibrary();
      return true;
    } catch (error) {
      this.#refuse(
        name,
        error instanceof SummarizeError || error instanceof IndexerError
          ? error.message
          : `“${name}” could not be added: ${error instanceof Error ? error.message : String(error)}`,
      );
      return false;
    } finally {
      this.#adding = this.#adding.filter((entry) => entry.key !== key);
    }
  }

  #refuse(name: string, message: string): void {
    this.#refusals = [...this.#refusals, { name, message }];
  }
}
