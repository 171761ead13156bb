/**
 * Voice mode, hands-free: listen → transcribe → send → read the reply aloud (from its first
 * sentence, while it streams) → listen again, until the user ends it. It only calls intents of
 * the dictation, read-aloud and chat stores; it owns nothing but its own phase.
 */
import type { SpeechErrorCode } from '../../lib/speech/errors';
import type { ChatState } from '../chat/chat.svelte';
import type { DictationState } from './dictation.svelte';
import type { ReadAloudState } from './read-aloud.svelte';

export type VoicePhase = 'off' | 'listening' | 'transcribing' | 'replying';

/** Errors after which listening again cannot help: voice mode ends and the message stays. */
const FATAL: ReadonlySet<SpeechErrorCode> = new Set([
  'mic-denied',
  'no-input-device',
  'mic-unavailable',
  'no-speech-model',
  'model-failed',
]);

export const VOICE_TARGET = 'voice-mode';

export class VoiceModeState {
  #active = $state(false);
  #replying = $state(false);
  #error = $state<string | undefined>();
  #session = 0;
  readonly #dictation: DictationState;
  readonly #readAloud: ReadAloudState;
  readonly #chat: ChatState;

  constructor(dictation: DictationState, readAloud: ReadAloudState, chat: ChatState) {
    this.#dictation = dictation;
    this.#readAloud = readAloud;
    this.#chat = chat;
  }

  get active(): boolean {
    return this.#active;
  }
  get phase(): VoicePhase {
    if (!this.#active) return 'off';
    if (this.#replying) return 'replying';
    if (this.#dictation.busyFor(VOICE_TARGET)) {
      return this.#dictation.status === 'transcribing' ? 'transcribing' : 'listening';
    }
    return 'listening';
  }
  get error(): string | undefined {
    return this.#error;
  }

  async start(): Promise<void> {
    if (this.#active) return;
    const session = ++this.#session;
    this.#active = true;
    this.#error = undefined;
    while (this.#active && session === this.#session) {
      const text = await this.#dictation.listen(VOICE_TARGET, { endOnSilence: true });
      if (!this.#active || session !== this.#session) break;
      if (!text) {
        const code = this.#dictation.errorCode;
        if (code && FATAL.has(code)) {
          this.#error = this.#dictation.error;
          break;
        }
        continue;
      }
      this.#replying = true;
      try {
        await this.#answer(text);
      } finally {
        this.#replying = false;
      }
      // No voice to answer with, or the message was refused: listening again would not help.
      if (this.#error) break;
    }
    if (session === this.#session) this.#active = false;
  }

  /** Ends voice mode (the button, or Esc): stops listening and reading; the reply is kept. */
  stop(): void {
    this.#session++;
    this.#active = false;
    this.#dictation.cancel();
    this.#readAloud.stop();
  }

  async #answer(text: string): Promise<void> {
    let reading: Promise<void> | undefined;
    // Reading starts with the reply's first sentence, while it still streams.
    const sent = await this.#chat.send(text, (id) => {
      reading = this.#readAloud.follow(`reply:${id}`, () => {
        const message = this.#chat.messages.find((m) => m.id === id);
        return { text: message?.content ?? '', final: !this.#chat.streaming };
      });
    });
    if (!sent) {
      this.#error = this.#chat.error ?? 'The message could not be sent.';
      return;
    }
    await reading;
    if (this.#readAloud.error) this.#error = this.#readAloud.error;
  }
}
