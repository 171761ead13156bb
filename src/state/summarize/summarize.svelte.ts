/**
 * The Summarize view's run: the options, the model it runs on (the loaded one, or a server model
 * the user picked), the summary in progress and the one just made. What to summarize is `input`
 * (SummaryInputState), the saved summaries are `saved` (a SavedListState), and all three report to one
 * status line. Orchestration only: the map-reduce is lib/summarize/pipeline. Other views start a
 * summary through {@link SummarizeState.startFromText}.
 */
import { isAbortError, toEngineError } from '../../lib/engine/errors';
import { SummarizeError } from '../../lib/summarize/errors';
import { summaryRecords, type SummaryRecord } from '../../lib/summarize/history';
import { DEFAULT_SUMMARY_OPTIONS, type SummaryOptions } from '../../lib/summarize/options';
import { summarize, type SummarizeProgress } from '../../lib/summarize/pipeline';
import { TokenEstimator } from '../../lib/engine/tokens';
import type { ServerModelRef } from '../../lib/chat/conversation';
import type { EngineState } from '../engine/engine.svelte';
import type { ServersState } from '../servers/servers.svelte';
import { JobModelState } from '../jobs/job-model.svelte';
import { StatusLineState } from '../shell/status-line.svelte';
import { SavedListState } from '../jobs/saved-list.svelte';
import { SummaryInputState } from './input.svelte';

export class SummarizeState {
  options = $state<SummaryOptions>({ ...DEFAULT_SUMMARY_OPTIONS });
  #progress = $state.raw<SummarizeProgress | undefined>(undefined);
  #running = $state(false);
  /** The final pass as it streams in, then the finished summary. */
  #output = $state('');
  #result = $state.raw<SummaryRecord | undefined>(undefined);
  readonly #status = new StatusLineState();
  /** The model summaries run on: the loaded one, or a server model the user picked. */
  readonly #model: JobModelState;
  /** Frees the engine of background work (a conversation title) before a summary starts. */
  readonly #claimEngine: () => Promise<void>;
  #run: AbortController | undefined;
  /** Calibration survives between documents, per model. Not shown, so not reactive. */
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  readonly #estimators = new Map<string, TokenEstimator>();

  /** What to summarize: the text box, or an opened document. */
  readonly input = new SummaryInputState(this.#status);
  /** The summaries saved on this device. */
  readonly saved = new SavedListState(summaryRecords(), { one: 'summary', many: 'summaries' }, (message) =>
    this.#status.fail(message),
  );

  constructor(engine: EngineState, claimEngine: () => Promise<void> = async () => {}, servers?: ServersState) {
    this.#claimEngine = claimEngine;
    this.#model = new JobModelState(engine, servers, () => this.#running);
  }

  get progress(): SummarizeProgress | undefined {
    return this.#progress;
  }
  get running(): boolean {
    return this.#running;
  }
  get output(): string {
    return this.#output;
  }
  /** The summary just made, once saved. */
  get result(): SummaryRecord | undefined {
    return this.#result;
  }
  get error(): string | undefined {
    return this.#status.error;
  }
  get notice(): string | undefined {
    return this.#status.notice;
  }

  /** The server model summaries go to, if the user picked one (and it is still there). */
  get server() {
    return this.#model.server;
  }

  /** Whether Summarize has a model: the local one loaded, or a picked server model. */
  get canRun(): boolean {
    return this.#model.available;
  }

  /** Summaries go to this server model from now on; undefined: back to the local model. */
  useServer(ref: ServerModelRef | undefined): void {
    this.#model.useServer(ref);
  }

  /** Loads the history, takes a shared payload named in the address, and accepts launched files. */
  async start(): Promise<void> {
    await Promise.all([this.input.start(), this.saved.refresh()]);
  }

  /**
   * Intent for other views ("Summarize this conversation"): opens the Summarize view on `text`
   * and starts at once when a model is loaded.
   */
  startFromText(text: string, sourceName: string): void {
    this.stop();
    this.input.use({ name: sourceName, kind: 'conversation', text });
    this.#status.clear();
    location.hash = '#/summarize';
    if (this.canRun) void this.summarize();
  }

  async summarize(): Promise<void> {
    if (this.#running) return;
    const model = await this.#model.resolve();
    if (this.#running || !model) return;
    const text = this.input.text;
    const sourceName = this.input.name;
    this.#status.clear();
    if (!/\S/.test(text)) return this.#status.fail('There is no text to summarize. Paste some text, or open a file.');
    const controller = new AbortController();
    this.#run = controller;
    this.#running = true;
    this.#output = '';
    this.#result = undefined;
    this.#progress = undefined;
    const options = { ...this.options };
    let estimator = this.#estimators.get(model.modelId);
    if (!estimator) this.#estimators.set(model.modelId, (estimator = new TokenEstimator()));
    try {
      await this.#claimEngine();
      const result = await summarize(
        { text, options, contextLength: model.contextLength },
        {
          engine: model.engine,
          signal: controller.signal,
          estimator,
          onProgress: (progress) => (this.#progress = progress),
          onToken: (token) => (this.#output += token),
        },
      );
      this.#output = result.text;
      const record: SummaryRecord = {
        schema: 1,
        id: crypto.randomUUID(),
        sourceName,
        sourceChars: text.length,
        options,
        model: { id: model.modelId, name: model.name },
        createdAt: Date.now(),
        text: result.text,
      };
      this.#result = record;
      await this.saved.add(record);
    } catch (error) {
      if (isAbortError(error)) this.#status.tell('Stopped. Nothing was saved.');
      else if (error instanceof SummarizeError) this.#status.fail(error.message);
      else {
        const engineError = toEngineError(error);
        this.#status.fail(
          engineError.code === 'busy'
            ? 'The model is busy with a chat reply; try again when it is done.'
            : engineError.message,
        );
      }
    } finally {
      if (this.#run === controller) this.#run = undefined;
      this.#running = false;
      this.#progress = undefined;
    }
  }

  stop(): void {
    this.#run?.abort();
  }

  async remove(id: string): Promise<void> {
    await this.saved.remove(id);
    if (this.#result?.id === id) this.#result = undefined;
  }
}
