/**
 * Translate's languages: the target as typed or picked, the source as the user set it or as
 * detected from the text (once typing pauses), and whether Chrome's on-device translator has
 * the pair ready. Detection and the browser's answer come from lib/translate (loaded on first
 * use); a late answer for an older text or pair is dropped.
 */
import type { Detection } from '../../lib/translate/detect';
import { resolveLanguage } from '../../lib/translate/languages';
import type { BrowserTranslatorNote } from '../../lib/translate/run';
import { loadTranslateCode } from './code';

/** Typing pauses this long before the language is detected again. */
const DETECT_DELAY_MS = 400;

export class TranslateLanguagesState {
  /** The target language as typed or picked. */
  targetInput = $state('French');
  /** The source language as the user set it; empty means "as detected". */
  sourceInput = $state('');
  #detected = $state.raw<Detection | undefined>(undefined);
  #browserNote = $state<BrowserTranslatorNote>('no-pair');
  readonly #text: () => string;
  #detectTimer: ReturnType<typeof setTimeout> | undefined;
  #detectRequest = 0;
  #browserRequest = 0;

  readonly target = $derived(resolveLanguage(this.targetInput));
  /** The source language used: the user's choice, else the detected one. */
  readonly from = $derived(resolveLanguage(this.sourceInput) ?? this.#detected?.language);

  /** `text`: the text whose language is detected. */
  constructor(text: () => string) {
    this.#text = text;
  }

  get detected(): Detection | undefined {
    return this.#detected;
  }

  get browserNote(): BrowserTranslatorNote {
    return this.#browserNote;
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
    const state = await (await loadTranslateCode()).builtInTranslator(from, to);
    if (state.kind === 'ready') state.translator.destroy(); // made again for a run: it holds memory
    if (request === this.#browserRequest) this.#browserNote = state.kind;
  }

  async #detect(): Promise<void> {
    const request = ++this.#detectRequest;
    const text = this.#text();
    let detection: Detection | undefined;
    try {
      detection = /\S/.test(text) ? await (await loadTranslateCode()).detectLanguage(text) : undefined;
    } catch {
      detection = undefined; // the library failed to load: the user can still name the language
    }
    if (request !== this.#detectRequest) return;
    this.#detected = detection;
    void this.languagesChanged();
  }
}
