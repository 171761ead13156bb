/**
 * The Translate view's state: the text (pasted, opened, dropped, or handed over by Chat and
 * Summarize), the languages (the source detected and changeable, the target picked or typed),
 * which engine translates, the run in progress part by part, a stop and what to keep of it, and
 * the saved translations. Orchestration only: cutting, checking and the calls are
 * lib/translate/translate, detection lib/translate/detect, storage lib/translate/history.
 */
import { isAbortError, toEngineError } from '../lib/engine/errors';
import { SummarizeError } from '../lib/summarize/errors';
import { extractFile, type DocumentKind } from '../lib/summarize/extract';
import { TokenEstimator } from '../lib/summarize/tokens';
import type { BrowserPieceTranslator } from '../lib/translate/built-in';
import type { Detection } from '../lib/translate/detect';
import {
  deleteTranslation,
  listTranslations,
  saveTranslation,
  TRANSLATION_SCHEMA_VERSION,
  type TranslationRecord,
} from '../lib/translate/history';
import { resolveLanguage, type Language } from '../lib/translate/languages';
import type { PieceTranslator, TranslatedPart, TranslateProgress } from '../lib/translate/translate';
import type { EngineState } from './engine.svelte';

export interface TranslateSource {
  name: string;
  kind: DocumentKind | 'chat-reply' | 'summary';
  text: string;
  pages?: number;
}

/** What Chrome's on-device translator said for the chosen pair, for the view to tell. */
export type BrowserTranslatorNote = 'checking' | 'missing' | 'not-ready' | 'ready' | 'no-pair';

/** A stopped run's whole parts, waiting for the user to keep or discard them. */
export interface StoppedRun {
  text: string;
  parts: number;
  flaggedParts: number;
}

interface RunAbout {
  sourceName: string;
  sourceChars: number;
  from?: Language;
  to: Language;
}

const PASTED_NAME = 'Pasted text';

type TranslateJob = typeof import('../lib/translate/job');
let job: Promise<TranslateJob> | undefined;
/** The translation code, loaded on first use; a failed load is tried again next time. */
function loadJob(): Promise<TranslateJob> {
  job ??= import('../lib/translate/job').catch((error: unknown) => {
    job = undefined;
    throw error;
  });
  return job;
}
/** Typing pauses this long before the language is detected again. */
const DETECT_DELAY_MS = 400;

export class TranslateState {
  /** Text typed or pasted into the box (used when no document is open). */
  draft = $state('');
  #source = $state.raw<TranslateSource | undefined>(undefined);
  /** The target language as typed or picked. */
  targetInput = $state('French');
  /** The source language as the user set it; empty means "as detected". */
  sourceInput = $state('');
  #reading = $state<string | undefined>(undefined);
  #running = $state(false);
  #progress = $state.raw<TranslateProgress | undefined>(undefined);
  #output = $state('');
  #current = $state('');
  #flagged = $state.raw<TranslatedPart[]>([]);
  #stopped = $state.raw<StoppedRun | undefined>(undefined);
  #result = $state.raw<TranslationRecord | undefined>(undefined);
  #error = $state<string | undefined>(undefined);
  #notice = $state<string | undefined>(undefined);
  #history = $state.raw<TranslationRecord[]>([]);
  #detected = $state.raw<Detection | undefined>(undefined);
  #browserNote = $state<BrowserTranslatorNote>('no-pair');
  #engineLabel = $state<string | undefined>(undefined);

  readonly #engine: EngineState;
  readonly #claimEngine: () => Promise<void>;
  #run: AbortController | undefined;
  #read: AbortController | undefined;
  #detectTimer: ReturnType<typeof setTimeout> | undefined;
  #detectRequest = 0;
  #browserRequest = 0;
  /** Calibration survives between documents, per model. Not shown, so not reactive. */
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  readonly #estimators = new Map<string, TokenEstimator>();

  readonly sourceName = $derived(this.source?.name ?? PASTED_NAME);
  readonly text = $derived(this.source?.text ?? this.draft);
  readonly target = $derived(resolveLanguage(this.targetInput));
  /** The source language used: the user's choice, else the detected one. */
  readonly from = $derived(resolveLanguage(this.sourceInput) ?? this.detected?.language);

  constructor(engine: EngineState, claimEngine: () => Promise<void> = async () => {}) {
    this.#engine = engine;
    this.#claimEngine = claimEngine;
  }

  /** An opened, dropped or handed-over document; large, so never deeply proxied. */
  get source() {
    return this.#source;
  }

  get reading() {
    return this.#reading;
  }

  get running() {
    return this.#running;
  }

  get progress() {
    return this.#progress;
  }

  /** Whole, checked parts so far (and code copied in place), in document order. */
  get output() {
    return this.#output;
  }

  /** The part being translated, as it streams; not part of the result until it is checked. */
  get current() {
    return this.#current;
  }

  /** Parts that need a check, with why. */
  get flagged() {
    return this.#flagged;
  }

  get stopped() {
    return this.#stopped;
  }

  get result() {
    return this.#result;
  }

  get error() {
    return this.#error;
  }

  get notice() {
    return this.#notice;
  }

  get history() {
    return this.#history;
  }

  get detected() {
    return this.#detected;
  }

  get browserNote() {
    return this.#browserNote;
  }

  /** Who translates the run in progress (or the last one). */
  get engineLabel() {
    return this.#engineLabel;
  }

  async start(): Promise<void> {
    await this.refreshHistory();
  }

  async refreshHistory(): Promise<void> {
    try {
      this.#history = await listTranslations();
    } catch (error) {
      this.#error = `Saved translations could not be read: ${error instanceof Error ? error.message : String(error)}`;
    }
  }

  /** The text changed: detect its language again once typing pauses, and ask the browser again. */
  textChanged(): void {
    clearTimeout(this.#detectTimer);
    this.#detectTimer = setTimeout(() => void this.#detect(), DETECT_DELAY_MS);
  }

  /** The languages changed: ask whether Chrome's translator has the pair ready. */
  async languagesChanged(): Promise<void> {
    const request = ++this.#browserRequest;
    const from = this.from?.code;
    const to = this.target?.code;
    if (!from || !to || from === to) {
      this.#browserNote = 'no-pair';
      return;
    }
    this.#browserNote = 'checking';
    const state = await (await loadJob()).builtInTranslator(from, to);
    if (request !== this.#browserRequest) {
      if (state.kind === 'ready') state.translator.destroy();
      return;
    }
    if (state.kind === 'ready') state.translator.destroy(); // made again for a run: it holds memory
    this.#browserNote = state.kind;
  }

  async #detect(): Promise<void> {
    const request = ++this.#detectRequest;
    const text = this.text;
    let detection: Detection | undefined;
    try {
      detection = /\S/.test(text) ? await (await loadJob()).detectLanguage(text) : undefined;
    } catch {
      detection = undefined; // the library failed to load: the user can still name the language
    }
    if (request !== this.#detectRequest) return;
    this.#detected = detection;
    void this.languagesChanged();
  }

  async openFile(file: File): Promise<void> {
    this.#read?.abort();
    const controller = new AbortController();
    this.#read = controller;
    this.#error = undefined;
    this.#notice = undefined;
    this.#reading = file.name;
    try {
      const document = await extractFile(file, { signal: controller.signal, keepMarkdown: true });
      if (this.#read !== controller) return;
      this.#source = document;
      this.textChanged();
    } catch (error) {
      if (this.#read !== controller || isAbortError(error)) return;
      this.#error =
        error instanceof SummarizeError ? error.message : `“${file.name}” could not be read: ${String(error)}`;
    } finally {
      if (this.#read === controller) {
        this.#reading = undefined;
        this.#read = undefined;
      }
    }
  }

  cancelReading(): void {
    this.#read?.abort();
    this.#read = undefined;
    this.#reading = undefined;
  }

  clearSource(): void {
    this.cancelReading();
    this.#source = undefined;
    this.#error = undefined;
    this.textChanged();
  }

  /** Intent for other views ("Translate" on a chat reply or a summary): opens the view on `text`. */
  startFromText(text: string, sourceName: string, kind: 'chat-reply' | 'summary'): void {
    // A run in progress is abandoned: its stop must not offer to keep parts of another text.
    this.stop();
    this.#run = undefined;
    this.#stopped = undefined;
    this.#source = { name: sourceName, kind, text };
    this.#error = undefined;
    this.#notice = undefined;
    this.#output = '';
    this.#result = undefined;
    location.hash = '#/translate';
    this.textChanged();
  }

  async translate(): Promise<void> {
    const model = this.#engine.loaded;
    if (this.running) return;
    const text = this.text;
    const sourceName = this.sourceName;
    const to = this.target;
    const from = this.from;
    this.#error = undefined;
    this.#notice = undefined;
    if (!/\S/.test(text)) {
      this.#error = 'There is no text to translate. Paste some text, or open a file.';
      return;
    }
    if (!to) {
      this.#error = 'Choose a language to translate to.';
      return;
    }
    if (from && from.name.toLowerCase() === to.name.toLowerCase()) {
      this.#error = `The text is already in ${to.name}. Choose another language to translate to.`;
      return;
    }
    const controller = new AbortController();
    this.#run = controller;
    this.#running = true;
    this.#output = '';
    this.#current = '';
    this.#flagged = [];
    this.#stopped = undefined;
    this.#result = undefined;
    this.#progress = undefined;
    let translator: PieceTranslator | undefined;
    let browser: BrowserPieceTranslator | undefined;
    const parts: TranslatedPart[] = [];
    let lib: TranslateJob | undefined;
    try {
      lib = await loadJob();
      const { builtInTranslator, BrowserPieceTranslator, ModelPieceTranslator, translateDocument } = lib;
      // Chrome's own translator when it has the pair ready (fast, no model needed); else the model.
      const builtIn = from?.code && to.code ? await builtInTranslator(from.code, to.code) : undefined;
      if (builtIn?.kind === 'ready') {
        translator = browser = new BrowserPieceTranslator(builtIn.translator);
        this.#engineLabel = 'Chrome’s on-device translator';
      } else if (model) {
        let estimator = this.#estimators.get(model.modelId);
        if (!estimator) this.#estimators.set(model.modelId, (estimator = new TokenEstimator()));
        translator = new ModelPieceTranslator({
          engine: this.#engine,
          from,
          to,
          contextLength: model.contextLength,
          estimator,
        });
        this.#engineLabel = model.name ?? model.modelId;
        await this.#claimEngine();
      } else {
        this.#error = 'Load a model first: Chrome’s on-device translator is not ready for these languages here.';
        return;
      }
      const result = await translateDocument(
        { text, from, to, contextLength: model?.contextLength ?? 4096 },
        {
          translator,
          signal: controller.signal,
          onProgress: (progress) => {
            this.#progress = progress;
            this.#current = '';
          },
          onPartial: (soFar) => (this.#current = soFar),
          onOutput: (chunk, part) => {
            this.#output += chunk;
            this.#current = '';
            if (part) {
              parts.push(part);
              if (part.flags.length > 0) this.#flagged = [...this.flagged, part];
            }
          },
        },
      );
      this.#output = result.text;
      const flaggedParts = parts.filter((part) => part.flags.length > 0).length;
      await this.#save(
        result.text,
        { sourceName, sourceChars: text.length, from, to },
        parts.length,
        flaggedParts,
        false,
      );
    } catch (error) {
      if (isAbortError(error) && this.#run !== controller) {
        // Abandoned for another text (startFromText): nothing to offer.
      } else if (isAbortError(error)) {
        const done = parts.length;
        this.#stopped =
          done > 0
            ? { text: this.output, parts: done, flaggedParts: parts.filter((part) => part.flags.length > 0).length }
            : undefined;
        this.#notice =
          done > 0
            ? `Stopped after ${done} finished part${done === 1 ? '' : 's'}. Keep them, or discard them.`
            : 'Stopped. Nothing was kept.';
        this.#pendingSave = { sourceName, sourceChars: text.length, from, to };
        if (done === 0) this.#output = '';
      } else if (lib && error instanceof lib.TranslateError) {
        this.#error = error.message;
      } else {
        const engineError = toEngineError(error);
        this.#error =
          engineError.code === 'busy'
            ? 'The model is busy with a chat reply; try again when it is done.'
            : engineError.message;
      }
    } finally {
      browser?.destroy();
      if (this.#run === controller) this.#run = undefined;
      this.#running = false;
      this.#progress = undefined;
      this.#current = '';
    }
  }

  /** What a stopped run was about, for saving its parts if the user keeps them. */
  #pendingSave: RunAbout | undefined;

  /** After a stop: the whole parts become a saved, partial translation. */
  async keepStopped(): Promise<void> {
    const stopped = this.stopped;
    const pending = this.#pendingSave;
    if (!stopped || !pending) return;
    this.#stopped = undefined;
    this.#notice = undefined;
    await this.#save(stopped.text, pending, stopped.parts, stopped.flaggedParts, true);
  }

  discardStopped(): void {
    this.#stopped = undefined;
    this.#output = '';
    this.#flagged = [];
    this.#notice = 'Discarded. Nothing was saved.';
  }

  async #save(text: string, about: RunAbout, parts: number, flaggedParts: number, partial: boolean): Promise<void> {
    const { sourceName, sourceChars, from, to } = about;
    const record: TranslationRecord = {
      schema: TRANSLATION_SCHEMA_VERSION,
      id: crypto.randomUUID(),
      sourceName,
      sourceChars,
      ...(from ? { from: { ...from } } : {}),
      to: { ...to },
      engine: {
        kind: this.engineLabel === 'Chrome’s on-device translator' ? 'browser' : 'model',
        name: this.engineLabel ?? 'model',
      },
      createdAt: Date.now(),
      text: text.trim(),
      parts,
      flaggedParts,
      partial,
    };
    this.#result = record;
    this.#history = [record, ...this.history];
    try {
      await saveTranslation(record);
    } catch (error) {
      this.#error = `The translation could not be saved: ${error instanceof Error ? error.message : String(error)}`;
    }
  }

  stop(): void {
    this.#run?.abort();
  }

  async remove(id: string): Promise<void> {
    await deleteTranslation(id);
    this.#history = this.history.filter((record) => record.id !== id);
    if (this.result?.id === id) this.#result = undefined;
  }
}
