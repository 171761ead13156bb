/**
 * The Translate view's run: which engine translates (a server model the user picked, Chrome's
 * on-device translator when it has the pair ready, else the loaded model), the run part by part,
 * a stop and what to keep of it, and the translation just made. What to translate is `input`,
 * the languages `languages`, the model pick `model`, the saved translations `saved`. Decisions
 * are lib/translate/run; cutting, checking and the calls lib/translate/translate.
 */
import { isAbortError } from '../../lib/engine/errors';
import { translationRecords, type TranslationRecord } from '../../lib/translate/history';
import {
  failureMessage,
  NO_ENGINE,
  requestProblem,
  stoppedNotice,
  translationRecord,
  type RunAbout,
  type StoppedRun,
} from '../../lib/translate/run';
import type { TranslatedPart, TranslateProgress } from '../../lib/translate/translate';
import type { EngineState } from '../engine/engine.svelte';
import { JobModelState } from '../jobs/job-model.svelte';
import type { ServersState } from '../servers/servers.svelte';
import { StatusLineState } from '../shell/status-line.svelte';
import { loadTranslateCode } from './code';
import { TranslateEngines, type RunEngine } from './engines';
import { TranslateInputState } from './input.svelte';
import { TranslateLanguagesState } from './languages.svelte';
import { SavedListState } from '../jobs/saved-list.svelte';

export class TranslateState {
  #running = $state(false);
  #progress = $state.raw<TranslateProgress | undefined>(undefined);
  #output = $state('');
  #current = $state('');
  #flagged = $state.raw<TranslatedPart[]>([]);
  #stopped = $state.raw<StoppedRun | undefined>(undefined);
  #result = $state.raw<TranslationRecord | undefined>(undefined);
  readonly #status = new StatusLineState();
  readonly #claimEngine: () => Promise<void>;
  #run: AbortController | undefined;
  readonly #engines: TranslateEngines;

  readonly input = new TranslateInputState(this.#status, () => this.languages.textChanged());
  readonly languages = new TranslateLanguagesState(() => this.input.text);
  readonly saved = new SavedListState(translationRecords(), { one: 'translation', many: 'translations' }, (message) =>
    this.#status.fail(message),
  );
  readonly model: JobModelState;

  constructor(engine: EngineState, claimEngine: () => Promise<void> = async () => {}, servers?: ServersState) {
    this.#claimEngine = claimEngine;
    this.model = new JobModelState(engine, servers, () => this.#running);
    this.#engines = new TranslateEngines(this.model);
  }

  get running(): boolean {
    return this.#running;
  }
  get progress(): TranslateProgress | undefined {
    return this.#progress;
  }
  /** Whole, checked parts so far (and code copied in place), in document order. */
  get output(): string {
    return this.#output;
  }
  /** The part being translated, as it streams; not part of the result until it is checked. */
  get current(): string {
    return this.#current;
  }
  /** Parts that need a check, with why. */
  get flagged(): readonly TranslatedPart[] {
    return this.#flagged;
  }
  get stopped(): StoppedRun | undefined {
    return this.#stopped;
  }
  get result(): TranslationRecord | undefined {
    return this.#result;
  }
  get error(): string | undefined {
    return this.#status.error;
  }
  get notice(): string | undefined {
    return this.#status.notice;
  }
  /** Whether the Translate button can run: a model (local or server) or Chrome's translator ready. */
  get canRun(): boolean {
    return this.model.available || this.languages.browserNote === 'ready';
  }

  async start(): Promise<void> {
    await this.saved.refresh();
  }

  /** Intent for other views ("Translate" on a chat reply or a summary): opens the view on `text`. */
  startFromText(text: string, sourceName: string, kind: 'chat-reply' | 'summary'): void {
    // A run in progress is abandoned: its stop must not offer to keep parts of another text.
    this.stop();
    this.#run = undefined;
    this.#clear();
    this.input.use({ name: sourceName, kind, text });
    location.hash = '#/translate';
  }

  async translate(): Promise<void> {
    if (this.#running) return;
    const { text, name: sourceName } = this.input;
    const { target: to, from } = this.languages;
    this.#clear();
    const problem = requestProblem(text, from, to);
    if (problem || !to) return this.#status.fail(problem);
    const controller = new AbortController();
    this.#run = controller;
    this.#running = true;
    let done = 0;
    let engine: RunEngine | undefined;
    let about: RunAbout | undefined;
    try {
      const code = await loadTranslateCode();
      engine = await this.#engines.forRun(code, from, to);
      if (!engine) return this.#status.fail(NO_ENGINE);
      about = { sourceName, sourceChars: text.length, from, to, engine: engine.engine };
      if (engine.local) await this.#claimEngine();
      const result = await code.translateDocument(
        { text, from, to, contextLength: engine.contextLength },
        {
          translator: engine.translator,
          signal: controller.signal,
          onProgress: (progress) => {
            this.#progress = progress;
            this.#current = '';
          },
          onPartial: (soFar) => (this.#current = soFar),
          onOutput: (chunk, part) => {
            this.#output += chunk;
            this.#current = '';
            if (!part) return;
            done++;
            if (part.flags.length > 0) this.#flagged = [...this.#flagged, part];
          },
        },
      );
      this.#output = result.text;
      await this.#save(about, {
        text: result.text,
        parts: done,
        flaggedParts: this.#flagged.length,
        partial: false,
      });
    } catch (error) {
      this.#failed(error, controller, about, done);
    } finally {
      engine?.release();
      if (this.#run === controller) this.#run = undefined;
      this.#running = false;
      this.#progress = undefined;
      this.#current = '';
    }
  }

  /** Before a run or a new text: no output, no stop choice, no sentence. */
  #clear(): void {
    this.#output = '';
    this.#current = '';
    this.#flagged = [];
    this.#stopped = undefined;
    this.#result = undefined;
    this.#progress = undefined;
    this.#status.clear();
  }

  /** A run that ended in a stop (offering its whole parts) or a failure (a sentence). */
  #failed(error: unknown, controller: AbortController, about: RunAbout | undefined, done: number): void {
    if (!isAbortError(error)) {
      return this.#status.fail(failureMessage(error));
    }
    if (this.#run !== controller) return; // abandoned for another text (startFromText): nothing to offer
    this.#status.tell(stoppedNotice(done));
    if (done > 0 && about) {
      this.#stopped = { text: this.#output, parts: done, flaggedParts: this.#flagged.length, about };
    } else {
      this.#output = '';
    }
  }

  /** After a stop: the whole parts become a saved, partial translation. */
  async keepStopped(): Promise<void> {
    const stopped = this.#stopped;
    if (!stopped) return;
    this.#stopped = undefined;
    this.#status.clear();
    await this.#save(stopped.about, { ...stopped, partial: true });
  }

  discardStopped(): void {
    this.#stopped = undefined;
    this.#output = '';
    this.#flagged = [];
    this.#status.tell('Discarded. Nothing was saved.');
  }

  async #save(about: RunAbout, result: Parameters<typeof translationRecord>[1]): Promise<void> {
    const record = translationRecord(about, result, crypto.randomUUID(), Date.now());
    this.#result = record;
    await this.saved.add(record);
  }

  stop(): void {
    this.#run?.abort();
  }

  async remove(id: string): Promise<void> {
    await this.saved.remove(id);
    if (this.#result?.id === id) this.#result = undefined;
  }
}
