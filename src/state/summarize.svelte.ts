/**
 * The Summarize view's state: the document (pasted, opened, dropped, shared or launched with
 * Nook), the options, the run in progress and the saved summaries. Orchestration only: reading
 * files is lib/summarize/extract, the map-reduce is lib/summarize/pipeline, storage is
 * lib/summarize/history. Other views start a summary through {@link SummarizeState.startFromText}.
 */
import { isAbortError, toEngineError } from '../lib/engine/errors';
import { SummarizeError } from '../lib/summarize/errors';
import { extractFile, type DocumentKind } from '../lib/summarize/extract';
import { deleteSummary, listSummaries, saveSummary, type SummaryRecord } from '../lib/summarize/history';
import { DEFAULT_SUMMARY_OPTIONS, type SummaryOptions } from '../lib/summarize/options';
import { summarize, type SummarizeProgress } from '../lib/summarize/pipeline';
import { sharedIdFromHash, takeSharedPayload } from '../lib/summarize/share';
import { TokenEstimator } from '../lib/summarize/tokens';
import type { ServerModelRef } from '../lib/chat/conversation';
import type { Engine } from '../lib/engine/types';
import type { EngineState } from './engine.svelte';
import type { ServerStore } from './servers.svelte';

export interface SummarySource {
  name: string;
  kind: DocumentKind | 'conversation' | 'shared';
  text: string;
  pages?: number;
}

/** A file being read (PDF pages are reported as they come). */
export interface ReadingFile {
  name: string;
  page?: number;
  pages?: number;
}

const PASTED_NAME = 'Pasted text';

export class SummarizeState {
  /** Text typed or pasted into the box (used when no document is open). */
  draft = $state('');
  /** An opened, dropped or shared document; large, so never deeply proxied. */
  source = $state.raw<SummarySource | undefined>(undefined);
  options = $state<SummaryOptions>({ ...DEFAULT_SUMMARY_OPTIONS });
  reading = $state<ReadingFile | undefined>(undefined);
  progress = $state.raw<SummarizeProgress | undefined>(undefined);
  running = $state(false);
  /** The final pass as it streams in, then the finished summary. */
  output = $state('');
  /** The summary just made, once saved. */
  result = $state.raw<SummaryRecord | undefined>(undefined);
  error = $state<string | undefined>(undefined);
  notice = $state<string | undefined>(undefined);
  history = $state.raw<SummaryRecord[]>([]);
  /** A server model the user picked for summaries; absent: the local model (the default). */
  #server = $state.raw<ServerModelRef | undefined>(undefined);
  readonly #servers: ServerStore | undefined;

  readonly #engine: EngineState;
  /** Frees the engine of background work (a conversation title) before a summary starts. */
  readonly #claimEngine: () => Promise<void>;
  #run: AbortController | undefined;
  #read: AbortController | undefined;
  /** Calibration survives between documents, per model. Not shown, so not reactive. */
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  readonly #estimators = new Map<string, TokenEstimator>();

  readonly sourceName = $derived(this.source?.name ?? PASTED_NAME);
  readonly sourceChars = $derived(this.source ? this.source.text.length : this.draft.length);

  constructor(engine: EngineState, claimEngine: () => Promise<void> = async () => {}, servers?: ServerStore) {
    this.#engine = engine;
    this.#claimEngine = claimEngine;
    this.#servers = servers;
  }

  /** The server model summaries go to, if the user picked one (and it is still there). */
  get server() {
    return this.#servers?.choice(this.#server);
  }

  /** Whether Summarize has a model: the local one loaded, or a picked server model. */
  get canRun(): boolean {
    return this.server !== undefined || this.#engine.loaded !== undefined;
  }

  /** Summaries go to this server model from now on; undefined: back to the local model. */
  useServer(ref: ServerModelRef | undefined): void {
    if (this.running) return;
    this.#server = ref && { serverId: ref.serverId, modelId: ref.modelId };
  }

  /** The model a summary runs on now: the picked server model, else the loaded local one. */
  async #model(): Promise<
    { modelId: string; name: string; contextLength: number; engine: Pick<Engine, 'chat'> } | undefined
  > {
    const server = this.server;
    if (server && this.#servers) {
      return {
        modelId: `server:${server.serverId}/${server.modelId}`,
        name: `${server.modelId} on ${server.host}`,
        contextLength: server.contextLength,
        engine: await this.#servers.engineFor(server),
      };
    }
    const local = this.#engine.loaded;
    if (!local) return undefined;
    return {
      modelId: local.modelId,
      name: local.name ?? local.modelId,
      contextLength: local.contextLength,
      engine: this.#engine,
    };
  }

  /** Loads the history and takes a shared payload named in the address (IncomingState sends it). */
  async start(): Promise<void> {
    addEventListener('hashchange', () => void this.#takeShared());
    await Promise.all([this.#takeShared(), this.refreshHistory()]);
  }

  async refreshHistory(): Promise<void> {
    try {
      this.history = await listSummaries();
    } catch (error) {
      this.error = `Saved summaries could not be read: ${error instanceof Error ? error.message : String(error)}`;
    }
  }

  /** A file picked, dropped, shared or launched. The newest file wins over one still being read. */
  async openFile(file: File): Promise<void> {
    this.#read?.abort();
    const controller = new AbortController();
    this.#read = controller;
    this.error = undefined;
    this.notice = undefined;
    this.reading = { name: file.name };
    try {
      const document = await extractFile(file, {
        signal: controller.signal,
        onPage: (page, pages) => {
          if (this.#read === controller) this.reading = { name: file.name, page, pages };
        },
      });
      if (this.#read !== controller) return;
      this.source = document;
    } catch (error) {
      if (this.#read !== controller || isAbortError(error)) return;
      this.error =
        error instanceof SummarizeError ? error.message : `“${file.name}” could not be read: ${String(error)}`;
    } finally {
      if (this.#read === controller) {
        this.reading = undefined;
        this.#read = undefined;
      }
    }
  }

  cancelReading(): void {
    this.#read?.abort();
    this.#read = undefined;
    this.reading = undefined;
  }

  /** Back to the text box. */
  clearSource(): void {
    this.cancelReading();
    this.source = undefined;
    this.error = undefined;
  }

  /**
   * Intent for other views ("Summarize this conversation"): opens the Summarize view on `text`
   * and starts at once when a model is loaded.
   */
  startFromText(text: string, sourceName: string): void {
    this.stop();
    this.source = { name: sourceName, kind: 'conversation', text };
    this.error = undefined;
    this.notice = undefined;
    location.hash = '#/summarize';
    if (this.canRun) void this.summarize();
  }

  async summarize(): Promise<void> {
    if (this.running) return;
    const model = await this.#model();
    if (this.running || !model) return;
    const text = this.source?.text ?? this.draft;
    const sourceName = this.sourceName;
    this.error = undefined;
    this.notice = undefined;
    if (!/\S/.test(text)) {
      this.error = 'There is no text to summarize. Paste some text, or open a file.';
      return;
    }
    const controller = new AbortController();
    this.#run = controller;
    this.running = true;
    this.output = '';
    this.result = undefined;
    this.progress = undefined;
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
          onProgress: (progress) => (this.progress = progress),
          onToken: (token) => (this.output += token),
        },
      );
      this.output = result.text;
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
      this.result = record;
      this.history = [record, ...this.history];
      await saveSummary(record);
    } catch (error) {
      if (isAbortError(error)) {
        this.notice = 'Stopped. Nothing was saved.';
      } else if (error instanceof SummarizeError) {
        this.error = error.message;
      } else {
        const engineError = toEngineError(error);
        this.error =
          engineError.code === 'busy'
            ? 'The model is busy with a chat reply; try again when it is done.'
            : engineError.message;
      }
    } finally {
      if (this.#run === controller) this.#run = undefined;
      this.running = false;
      this.progress = undefined;
    }
  }

  stop(): void {
    this.#run?.abort();
  }

  async remove(id: string): Promise<void> {
    await deleteSummary(id);
    this.history = this.history.filter((record) => record.id !== id);
    if (this.result?.id === id) this.result = undefined;
  }

  /** A share arrived through the service worker: read it once and clean the address. */
  async #takeShared(): Promise<void> {
    const id = sharedIdFromHash(location.hash);
    if (!id) return;
    window.history.replaceState(null, '', '#/summarize');
    const payload = await takeSharedPayload(id);
    if (!payload) {
      this.error = 'The shared item is no longer available. Share it again.';
      return;
    }
    const file = payload.files[0];
    if (file) return this.openFile(file);
    const text = payload.text.trim();
    const onlyLink = !text || /^\S+:\/\/\S+$/.test(text);
    if (onlyLink) {
      this.error =
        'Only a link was shared. Nook does not fetch web pages (nothing leaves this device): share the page’s text or the file instead.';
      return;
    }
    this.cancelReading();
    this.source = { name: payload.title.trim() || 'Shared text', kind: 'shared', text };
    this.error = undefined;
  }
}
