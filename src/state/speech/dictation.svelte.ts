/**
 * Dictation: one microphone for the whole app, lent to one text box at a time (its `target`).
 * Listening shows a level; the recording is transcribed on the device — Whisper in the speech
 * worker, or the browser's own recognition where it runs on the device — and handed to the box.
 * Push-to-talk and toggle are the same intents (`start`, `finish`) called at different moments.
 */
import { SpeechError, SPEECH_MESSAGES, type SpeechErrorCode } from '../../lib/speech/errors';
import { Recording } from '../../lib/speech/microphone';
import { onDeviceStatus, recognizeOnDevice, type OnDeviceStatus } from '../../lib/speech/on-device-recognition';
import { whisperLanguage } from '../../lib/speech/catalog';
import type { Transcriber } from '../../lib/speech/speech-client';
import type { SpeechModelsState } from './models.svelte';

export type DictationStatus = 'idle' | 'listening' | 'transcribing';

export interface ListenOptions {
  /** End by itself when the speaker goes quiet (voice mode). */
  endOnSilence?: boolean;
}

/** One utterance's recording is at most this long. */
const MAX_RECORDING_MS = 60_000;

export class DictationState {
  #status = $state<DictationStatus>('idle');
  #level = $state(0);
  #heardSpeech = $state(false);
  #error = $state<{ code: SpeechErrorCode; message: string } | undefined>();
  #target = $state<string | undefined>();
  #lastTarget = $state<string | undefined>();
  #onDevice = $state<OnDeviceStatus>('unsupported');
  #engineUsed = $state<'whisper' | 'on-device' | undefined>();
  #lastTranscribeMs = $state<number | undefined>();
  #recording: Recording | undefined;
  #finish: (() => void) | undefined;
  #controller: AbortController | undefined;
  readonly #models: SpeechModelsState;
  readonly #transcriber: Transcriber;

  constructor(models: SpeechModelsState, transcriber: Transcriber) {
    this.#models = models;
    this.#transcriber = transcriber;
  }

  get status(): DictationStatus {
    return this.#status;
  }
  get level(): number {
    return this.#level;
  }
  /** The current recording has heard speech (not only silence or noise) so far. */
  get heardSpeech(): boolean {
    return this.#heardSpeech;
  }
  get error(): string | undefined {
    return this.#error?.message;
  }
  get errorCode(): SpeechErrorCode | undefined {
    return this.#error?.code;
  }
  get target(): string | undefined {
    return this.#target;
  }
  /** The box that dictated last: where an error is shown. */
  get lastTarget(): string | undefined {
    return this.#lastTarget;
  }
  /** Whether the browser's own recognition can run on this device (never its cloud path). */
  get onDevice(): OnDeviceStatus {
    return this.#onDevice;
  }
  get engineUsed() {
    return this.#engineUsed;
  }
  get lastTranscribeMs(): number | undefined {
    return this.#lastTranscribeMs;
  }
  /** Something can turn speech into text here. */
  get canTranscribe(): boolean {
    return Boolean(this.#models.active) || this.#onDevice === 'available';
  }
  busyFor(target: string): boolean {
    return this.#status !== 'idle' && this.#target === target;
  }

  /** Asks the browser whether its recognition runs on the device for this language. */
  async detectOnDevice(lang = navigator.language): Promise<OnDeviceStatus> {
    this.#onDevice = await onDeviceStatus(lang);
    return this.#onDevice;
  }

  clearError(): void {
    this.#error = undefined;
  }

  /** Listens for `target` and hands the transcript to `deliver` (nothing for silence). */
  async dictate(target: string, deliver: (text: string) => void, options: ListenOptions = {}): Promise<void> {
    await this.#listen(target, options, deliver);
  }

  /**
   * Listens once and returns the transcript; undefined when cancelled, silent or failed (then
   * `error` says why).
   */
  listen(target: string, options: ListenOptions = {}): Promise<string | undefined> {
    return this.#listen(target, options);
  }

  /** `deliver` gets the transcript first, before the status and the button are redrawn. */
  async #listen(target: string, options: ListenOptions, deliver?: (text: string) => void): Promise<string | undefined> {
    if (this.#status !== 'idle') return undefined;
    this.#error = undefined;
    this.#target = target;
    this.#lastTarget = target;
    this.#heardSpeech = false;
    this.#status = 'listening';
    const controller = (this.#controller = new AbortController());
    try {
      const model = this.#models.active;
      if (!model && this.#onDevice === 'available') {
        this.#engineUsed = 'on-device';
        const finished = new Promise<void>((resolve) => (this.#finish = resolve));
        const inner = new AbortController();
        void finished.then(() => inner.abort());
        controller.signal.addEventListener('abort', () => inner.abort());
        const text = await recognizeOnDevice(navigator.language, inner.signal);
        return controller.signal.aborted ? undefined : this.#result(text, deliver);
      }
      if (!model) throw new SpeechError('no-speech-model');
      this.#engineUsed = 'whisper';
      // Warm the model while the user speaks.
      void this.#transcriber.warm(model.id).catch(() => undefined);
      const finished = new Promise<void>((resolve) => (this.#finish = resolve));
      const recording = (this.#recording = await Recording.start({
        onLevel: (level) => (this.#level = level),
        onSpeech: () => (this.#heardSpeech = true),
        onSilence: options.endOnSilence ? () => this.#finish?.() : undefined,
        maxMs: MAX_RECORDING_MS,
        onMaxLength: () => this.#finish?.(),
      }));
      if (controller.signal.aborted) {
        recording.cancel();
        return undefined;
      }
      await Promise.race([finished, new Promise((resolve) => controller.signal.addEventListener('abort', resolve))]);
      if (controller.signal.aborted) return undefined;
      // The microphone is closed before the samples go to the worker: closed while it transcribes,
      // the audio threads' teardown slowed Whisper by more than the ~3 ms the close costs here
      // (docs/decisions/0025-microphone-closed-before-transcribing.md). Redrawing comes after.
      const heard = recording.heardSpeech;
      const audio = await recording.finish();
      recording.close();
      this.#recording = undefined;
      if (!heard || audio.length === 0) throw new SpeechError('nothing-heard');
      const transcribed = this.#transcriber.transcribe(
        model.id,
        audio,
        model.multilingual ? whisperLanguage(navigator.language) : undefined,
        controller.signal,
      );
      this.#status = 'transcribing';
      this.#level = 0;
      this.#heardSpeech = false;
      const transcript = await transcribed;
      this.#lastTranscribeMs = transcript.ms;
      return this.#result(transcript.text, deliver);
    } catch (error) {
      if (!controller.signal.aborted) {
        this.#error =
          error instanceof SpeechError
            ? { code: error.code, message: error.message }
            : { code: 'model-failed', message: `${SPEECH_MESSAGES['model-failed']} (${String(error)})` };
      }
      return undefined;
    } finally {
      this.#recording?.cancel();
      this.#recording = undefined;
      this.#finish = undefined;
      if (this.#controller === controller) {
        this.#controller = undefined;
        this.#status = 'idle';
        this.#level = 0;
        this.#heardSpeech = false;
        this.#target = undefined;
      }
    }
  }

  /** Stops listening and transcribes what was said (toggle off, or push-to-talk released). */
  finish(): void {
    this.#finish?.();
  }

  /** Stops listening and drops what was heard. */
  cancel(): void {
    this.#controller?.abort();
  }

  #result(text: string, deliver?: (text: string) => void): string | undefined {
    const clean = text.trim();
    if (!clean) this.#error = { code: 'nothing-heard', message: SPEECH_MESSAGES['nothing-heard'] };
    else deliver?.(clean);
    return clean || undefined;
  }
}
