/**
 * The decisions of one translation run, apart from the store that carries it out: whether the
 * request can run, which engine translates it (and the sentence that tells the user), what a
 * failure or a stop says, and the record saved at the end. Pure: no Svelte, no storage, no engine.
 */
import { toEngineError } from '../engine/errors';
import { TRANSLATION_SCHEMA_VERSION, type TranslationRecord } from './history';
import type { Language } from './languages';
import type { TranslateProgress } from './translate';

/** What Chrome's on-device translator said for the chosen pair, for the view to tell. */
export type BrowserTranslatorNote = 'checking' | 'missing' | 'not-ready' | 'ready' | 'no-pair';

/** A server model picked for translations, as the sentence names it. */
export interface ServerModelName {
  modelId: string;
  host: string;
}

/** Who translates: a server model the user picked, Chrome's translator when ready, else the loaded model. */
export type TranslatingEngine = 'server' | 'browser' | 'local' | 'none';

/**
 * The user's explicit pick of a server model wins; then Chrome's on-device translator when it has
 * the pair ready (fast, no model download); then the model loaded on this device.
 */
export function chooseEngine(choice: {
  server: boolean;
  browserReady: boolean;
  localLoaded: boolean;
}): TranslatingEngine {
  if (choice.server) return 'server';
  if (choice.browserReady) return 'browser';
  return choice.localLoaded ? 'local' : 'none';
}

export const BROWSER_ENGINE_NAME = 'Chrome’s on-device translator';

/** The view's sentence on which engine translates, and whether the text leaves the device. */
export function engineSentence(about: {
  server?: ServerModelName;
  browserNote: BrowserTranslatorNote;
  /** The loaded local model's name, if one is loaded. */
  localName?: string;
  from?: Language;
  to?: Language;
}): string {
  const { server, browserNote, localName, from, to } = about;
  if (server)
    return `${server.modelId} on ${server.host} translates: the text is sent to that server, off this device.`;
  const pair = from && to ? `${from.name} → ${to.name}` : 'these languages';
  if (browserNote === 'ready') return `${BROWSER_ENGINE_NAME} translates ${pair} (no model needed).`;
  const model = localName ? `${localName}, the model loaded on this device,` : 'The model you load';
  switch (browserNote) {
    case 'checking':
      return `${model} translates; checking whether ${BROWSER_ENGINE_NAME} has ${pair} ready…`;
    case 'not-ready':
      return `${model} translates: ${BROWSER_ENGINE_NAME} does not have ${pair} on this device (it would need a download).`;
    case 'missing':
    case 'no-pair':
      return `${model} translates.`;
  }
}

/** Why a request cannot run, in a sentence; undefined when it can. */
export function requestProblem(text: string, from: Language | undefined, to: Language | undefined): string | undefined {
  if (!/\S/.test(text)) return 'There is no text to translate. Paste some text, or open a file.';
  if (!to) return 'Choose a language to translate to.';
  if (from && from.name.toLowerCase() === to.name.toLowerCase()) {
    return `The text is already in ${to.name}. Choose another language to translate to.`;
  }
  return undefined;
}

export const NO_ENGINE =
  'Load a model first, or pick a server model: Chrome’s on-device translator is not ready for these languages here.';

/** A failed run (not a stop) in a sentence. */
export function failureMessage(error: unknown): string {
  // The pipeline's own errors already are sentences (its module loads lazily: known by name).
  if (error instanceof Error && error.name === 'TranslateError') return error.message;
  const engineError = toEngineError(error);
  return engineError.code === 'busy'
    ? 'The model is busy with a chat reply; try again when it is done.'
    : engineError.message;
}

/** What the view says after a Stop, by the number of finished parts. */
export function stoppedNotice(finishedParts: number): string {
  return finishedParts > 0
    ? `Stopped after ${finishedParts} finished part${finishedParts === 1 ? '' : 's'}. Keep them, or discard them.`
    : 'Stopped. Nothing was kept.';
}

/** What a run was about, for its record. */
export interface RunAbout {
  sourceName: string;
  sourceChars: number;
  from?: Language;
  to: Language;
  engine: TranslationRecord['engine'];
}

/** A stopped run's whole parts, waiting for the user to keep or discard them. */
export interface StoppedRun {
  text: string;
  parts: number;
  flaggedParts: number;
  about: RunAbout;
}

/** The record saved for a finished run, or for the whole parts of a stopped one the user kept. */
export function translationRecord(
  about: RunAbout,
  result: { text: string; parts: number; flaggedParts: number; partial: boolean },
  id: string,
  createdAt: number,
): TranslationRecord {
  const { sourceName, sourceChars, from, to, engine } = about;
  return {
    schema: TRANSLATION_SCHEMA_VERSION,
    id,
    sourceName,
    sourceChars,
    ...(from ? { from: { ...from } } : {}),
    to: { ...to },
    engine: { ...engine },
    createdAt,
    text: result.text.trim(),
    parts: result.parts,
    flaggedParts: result.flaggedParts,
    partial: result.partial,
  };
}

/** What the Translate view says while a run goes on. */
export function progressLabel(progress: TranslateProgress | undefined): string {
  return progress
    ? `Part ${progress.part} of ${progress.total}${progress.attempt === 2 ? ' (second try: something was lost)' : ''}`
    : 'Preparing…';
}
