/** The user's speech settings (voice, rate, send at once), loaded once and saved on each change. */
import {
  clampRate,
  DEFAULT_SPEECH_SETTINGS,
  loadSpeechSettings,
  saveSpeechSettings,
  type SpeechSettings,
} from '../../lib/speech/settings';

export class SpeechSettingsState {
  #value = $state<SpeechSettings>({ ...DEFAULT_SPEECH_SETTINGS });

  get voiceURI(): string | undefined {
    return this.#value.voiceURI;
  }
  get rate(): number {
    return this.#value.rate;
  }
  get sendAtOnce(): boolean {
    return this.#value.sendAtOnce;
  }

  async start(): Promise<void> {
    this.#value = await loadSpeechSettings();
  }

  chooseVoice(voiceURI: string | undefined): void {
    this.#save({ ...this.#value, voiceURI: voiceURI || undefined });
  }
  setRate(rate: number): void {
    this.#save({ ...this.#value, rate: clampRate(rate) });
  }
  setSendAtOnce(sendAtOnce: boolean): void {
    this.#save({ ...this.#value, sendAtOnce });
  }

  #save(value: SpeechSettings): void {
    this.#value = value;
    void saveSpeechSettings($state.snapshot(value));
  }
}
