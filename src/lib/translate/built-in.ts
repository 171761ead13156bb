/**
 * Chrome's on-device Translator and LanguageDetector (the Translator and Language Detector APIs),
 * feature-detected and used only when they say "available": "downloadable" means a download
 * Nook does not start (offline, `create()` would never settle). Every call that could wait on
 * the browser is bounded by a timeout, so a browser that never answers cannot hang the view.
 */

import type { TranslatePiece } from './cut';
import type { PieceReply, PieceTranslator } from './translate';

type Availability = 'unavailable' | 'downloadable' | 'downloading' | 'available';

interface BuiltInTranslator {
  translate(input: string, options?: { signal?: AbortSignal }): Promise<string>;
  destroy(): void;
}
interface TranslatorApi {
  availability(options: { sourceLanguage: string; targetLanguage: string }): Promise<Availability>;
  create(options: { sourceLanguage: string; targetLanguage: string; signal?: AbortSignal }): Promise<BuiltInTranslator>;
}
interface BuiltInDetector {
  detect(input: string): Promise<{ detectedLanguage?: string; confidence?: number }[]>;
}
interface DetectorApi {
  availability(): Promise<Availability>;
  create(): Promise<BuiltInDetector>;
}

/** How long the browser may take to say whether it can help, before Nook goes on without it. */
export const BUILT_IN_TIMEOUT_MS = 3000;

const api = <T>(name: string): T | undefined => (globalThis as Record<string, unknown>)[name] as T | undefined;

/** Resolves with the promise's value, or undefined when it fails or takes longer than `ms`. */
export async function within<T>(promise: Promise<T>, ms = BUILT_IN_TIMEOUT_MS): Promise<T | undefined> {
  let expire: (value: undefined) => void = () => {};
  const timeout = new Promise<undefined>((resolve) => (expire = resolve));
  const timer = setTimeout(() => expire(undefined), ms);
  try {
    return await Promise.race([promise.catch(() => undefined), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export type BuiltInTranslatorState =
  | { kind: 'missing' } // the browser has no Translator API
  | { kind: 'not-ready'; availability: Availability | 'no-answer' }
  | { kind: 'ready'; translator: BuiltInTranslator };

/** Chrome's translator for the pair, if it is on the device and ready now. */
export async function builtInTranslator(
  sourceLanguage: string,
  targetLanguage: string,
): Promise<BuiltInTranslatorState> {
  const Translator = api<TranslatorApi>('Translator');
  if (!Translator || typeof Translator.availability !== 'function') return { kind: 'missing' };
  const availability = await within(Translator.availability({ sourceLanguage, targetLanguage }));
  if (availability !== 'available') return { kind: 'not-ready', availability: availability ?? 'no-answer' };
  const abort = new AbortController();
  const translator = await within(Translator.create({ sourceLanguage, targetLanguage, signal: abort.signal }));
  if (!translator) {
    abort.abort();
    return { kind: 'not-ready', availability: 'no-answer' };
  }
  return { kind: 'ready', translator };
}

/** The language Chrome's detector finds (a BCP 47 tag), or undefined when it cannot say now. */
export async function builtInDetect(text: string): Promise<string | undefined> {
  const LanguageDetector = api<DetectorApi>('LanguageDetector');
  if (!LanguageDetector || typeof LanguageDetector.availability !== 'function') return undefined;
  if ((await within(LanguageDetector.availability())) !== 'available') return undefined;
  const detector = await within(LanguageDetector.create());
  const results = detector ? await within(detector.detect(text)) : undefined;
  const best = results?.[0];
  return best?.detectedLanguage && best.detectedLanguage !== 'und' && (best.confidence ?? 1) >= 0.5
    ? best.detectedLanguage
    : undefined;
}

/** Chrome's translator behind the pipeline's piece interface: no window to fit, so big pieces. */
export class BrowserPieceTranslator implements PieceTranslator {
  readonly #translator: BuiltInTranslator;

  constructor(translator: BuiltInTranslator) {
    this.#translator = translator;
  }

  pieceBytes(): number {
    return 4000;
  }

  async translate(
    piece: TranslatePiece,
    _previous: string,
    _attempt: 1 | 2,
    onText: (soFar: string) => void,
    signal?: AbortSignal,
  ): Promise<PieceReply> {
    const text = await this.#translator.translate(piece.text, { signal });
    onText(text);
    return { text, cutShort: false };
  }

  destroy(): void {
    this.#translator.destroy();
  }
}
