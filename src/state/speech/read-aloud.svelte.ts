/**
 * Read aloud: speaks a reply (or a summary, a translation) with an on-device voice only
 * (`localService`), one sentence per utterance, so reading can start while the text still grows
 * and Stop is immediate. One reading at a time; `readingId` says which text is being read.
 */
import { untrack } from 'svelte';
import { SPEECH_MESSAGES } from '../../lib/speech/errors';
import { speakableText, takeSentences } from '../../lib/speech/sentences';
import { localVoices, pickVoice } from '../../lib/speech/voices';
import type { SpeechSettingsState } from './settings.svelte';

export interface ReadSource {
  text: string;
  /** No more text will come (the reply finished streaming). */
  final: boolean;
}

export interface FinishedReading {
  id: string;
  sentences: number;
  voice: string;
}

export class ReadAloudState {
  #voices = $state.raw<SpeechSynthesisVoice[]>([]);
  #readingId = $state<string | undefined>();
  #voice = $state<SpeechSynthesisVoice | undefined>();
  #queued = $state(0);
  #spoken = $state(0);
  #error = $state<string | undefined>();
  #finished = $state<FinishedReading | undefined>();
  #stopFollowing: (() => void) | undefined;
  #final = false;
  #offset = 0;
  #run = 0;
  #onDone: (() => void) | undefined;
  readonly #prefs: SpeechSettingsState;

  constructor(prefs: SpeechSettingsState) {
    this.#prefs = prefs;
  }

  get supported(): boolean {
    return typeof speechSynthesis !== 'undefined';
  }
  /** The voices Nook may use: on-device only. */
  get voices(): SpeechSynthesisVoice[] {
    return localVoices(this.#voices);
  }
  get readingId(): string | undefined {
    return this.#readingId;
  }
  get voiceName(): string | undefined {
    return this.#voice?.name;
  }
  get progress(): { spoken: number; queued: number } {
    return { spoken: this.#spoken, queued: this.#queued };
  }
  get error(): string | undefined {
    return this.#error;
  }
  get finished(): FinishedReading | undefined {
    return this.#finished;
  }

  start(): () => void {
    if (!this.supported) return () => undefined;
    const update = () => (this.#voices = speechSynthesis.getVoices());
    update();
    speechSynthesis.addEventListener('voiceschanged', update);
    return () => speechSynthesis.removeEventListener('voiceschanged', update);
  }

  /** Reads a finished text. Resolves when it was read to the end or stopped. */
  read(id: string, markdown: string, lang?: string): Promise<void> {
    return this.follow(id, () => ({ text: markdown, final: true }), lang);
  }

  /**
   * Reads a text that may still grow: `source` is read reactively, and each sentence is spoken
   * as soon as it is complete. Resolves when the final text was read to the end or stopped.
   */
  async follow(id: string, source: () => ReadSource, lang?: string): Promise<void> {
    this.stop();
    const run = ++this.#run;
    this.#error = undefined;
    this.#finished = undefined;
    if (!this.supported) {
      this.#error = SPEECH_MESSAGES['no-voice'];
      return;
    }
    const voice = pickVoice(await this.#loadVoices(), this.#prefs.voiceURI, lang ?? navigator.language);
    if (run !== this.#run) return;
    if (!voice) {
      this.#error = SPEECH_MESSAGES['no-voice'];
      return;
    }
    this.#voice = voice;
    this.#readingId = id;
    this.#queued = 0;
    this.#spoken = 0;
    this.#offset = 0;
    this.#final = false;
    const done = new Promise<void>((resolve) => (this.#onDone = resolve));
    this.#stopFollowing = $effect.root(() => {
      $effect(() => {
        const { text, final } = source();
        // Only the source is tracked: what #feed reads and writes must not re-run this effect.
        untrack(() => this.#feed(run, speakableText(text), final));
      });
    });
    return done;
  }

  stop(): void {
    this.#run++;
    this.#stopFollowing?.();
    this.#stopFollowing = undefined;
    if (this.supported) speechSynthesis.cancel();
    this.#end();
  }

  #feed(run: number, text: string, final: boolean): void {
    if (run !== this.#run) return;
    const { sentences, next } = takeSentences(text, this.#offset, final, this.#voice?.lang);
    this.#offset = next;
    this.#final = final;
    for (const sentence of sentences) this.#speak(run, sentence);
    this.#checkDone(run);
  }

  #speak(run: number, sentence: string): void {
    const utterance = new SpeechSynthesisUtterance(sentence);
    if (this.#voice) {
      utterance.voice = this.#voice;
      utterance.lang = this.#voice.lang;
    }
    utterance.rate = this.#prefs.rate;
    utterance.addEventListener('end', () => {
      if (run !== this.#run) return;
      this.#spoken++;
      this.#checkDone(run);
    });
    utterance.addEventListener('error', (event) => {
      if (run !== this.#run || event.error === 'canceled' || event.error === 'interrupted') return;
      this.#error = `Reading aloud failed (${event.error}).`;
      this.stop();
    });
    this.#queued++;
    speechSynthesis.speak(utterance);
  }

  #checkDone(run: number): void {
    if (run !== this.#run || !this.#final || this.#spoken < this.#queued) return;
    const id = this.#readingId;
    if (id) this.#finished = { id, sentences: this.#spoken, voice: this.#voice?.name ?? '' };
    const stopFollowing = this.#stopFollowing;
    this.#stopFollowing = undefined;
    // This may run inside the following effect: tear it down after it returns.
    queueMicrotask(() => stopFollowing?.());
    this.#end();
  }

  #end(): void {
    this.#readingId = undefined;
    const done = this.#onDone;
    this.#onDone = undefined;
    done?.();
  }

  /** Chrome fills the voice list after start-up; wait for it once if it is still empty. */
  async #loadVoices(): Promise<SpeechSynthesisVoice[]> {
    if (this.#voices.length === 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 2000);
        speechSynthesis.addEventListener(
          'voiceschanged',
          () => {
            clearTimeout(timer);
            resolve();
          },
          { once: true },
        );
      });
      this.#voices = speechSynthesis.getVoices();
    }
    return this.#voices;
  }
}
