/**
 * The Documents view's state: a question asked of the library (or of the documents ticked), its
 * answer with its sources, and the parts it is made of — the library itself (LibraryState), its
 * vectors (LibraryVectorsState), the reader (DocumentReaderState) and the grounded-answer job (Grounder,
 * shared with chat). Orchestration only: passages, index and prompts are lib/documents; the
 * documents worker owns storage.
 */
import type { CompletionStats } from '../../lib/engine/types';
import { Grounder } from '../../lib/documents/grounder';
import { IndexerClient } from '../../lib/documents/indexer-client';
import { answerEnd, noPassagesMessage, windowTooSmallMessage } from '../../lib/documents/outcome';
import type { GivenSource } from '../../lib/documents/prompt';
import { AnswerTurns } from '../../lib/documents/turns';
import { DocumentReaderState } from './document-reader.svelte';
import type { EngineState } from '../engine/engine.svelte';
import { LibraryState } from './library.svelte';
import { LibraryVectorsState } from './library-vectors.svelte';

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

const createIndexerWorker = () =>
  new Worker(new URL('../../lib/documents/indexer.worker.ts', import.meta.url), {
    type: 'module',
    name: 'nook-documents',
  });

/** Streamed text reaches the screen at most this often (as in chat). */
const REDRAW_MS = 100;

export class DocumentsState {
  #chosen = $state.raw<readonly string[]>([]);
  #answer = $state.raw<DocumentAnswer | undefined>(undefined);
  readonly library: LibraryState;
  readonly vectors: LibraryVectorsState;
  readonly reader: DocumentReaderState;
  /** Grounded answers, here and in chat. */
  readonly grounder: Grounder;
  readonly #engine: EngineState;
  readonly #claimEngine: () => Promise<void>;
  #run: AbortController | undefined;

  constructor(engine: EngineState, claimEngine: () => Promise<void> = async () => {}, indexer?: IndexerClient) {
    this.#engine = engine;
    this.#claimEngine = claimEngine;
    const client = indexer ?? new IndexerClient(createIndexerWorker);
    const turns = new AnswerTurns();
    this.library = new LibraryState(client, () => this.vectors.documentAdded());
    this.vectors = new LibraryVectorsState(engine, client, turns, (id) => this.library.record(id)?.name ?? '');
    this.reader = new DocumentReaderState(client);
    this.grounder = new Grounder({
      search: (query) => client.call('search', query),
      embed: (text) => this.vectors.embedQuestion(text),
      turns,
    });
  }

  get chosen(): readonly string[] {
    return this.#chosen;
  }
  get answer(): DocumentAnswer | undefined {
    return this.#answer;
  }
  get answering(): boolean {
    return this.#answer?.status === 'searching' || this.#answer?.status === 'answering';
  }

  /** The library as read again from storage (after the Storage panel cleared it, say). */
  refresh(): Promise<void> {
    return this.library.refresh();
  }

  async remove(id: string): Promise<void> {
    if (!(await this.library.remove(id))) return;
    this.#chosen = this.#chosen.filter((chosen) => chosen !== id);
    this.reader.forget(id);
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
    let streamed = '';
    let redraw: ReturnType<typeof setTimeout> | undefined;
    try {
      await this.#claimEngine();
      const outcome = await this.grounder.answer({
        question: trimmed,
        model,
        ...(documentIds ? { documentIds } : {}),
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
        show({ status: 'no-passages', message: noPassagesMessage(documentIds ? 'chosen' : 'library') });
      } else if (outcome.kind === 'window-too-small') {
        show({ status: 'failed', message: windowTooSmallMessage(model.name, model.contextLength) });
      } else {
        const stopped = outcome.stats.finishReason === 'aborted';
        show({ text: streamed, stats: outcome.stats, status: stopped ? 'stopped' : 'done' });
      }
    } catch (error) {
      clearTimeout(redraw);
      const end = answerEnd(error);
      show(
        end.stopped
          ? { text: streamed, status: 'stopped' }
          : { text: streamed, status: 'failed', message: end.message },
      );
    } finally {
      if (this.#run === controller) this.#run = undefined;
    }
  }

  stop(): void {
    this.#run?.abort();
  }
}
