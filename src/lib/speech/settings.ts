/** Speech settings, kept in IndexedDB: reading voice and rate, and whether dictation sends at once. */
import { createStore, get, set, type UseStore } from 'idb-keyval';

export interface SpeechSettings {
  /** The chosen on-device voice; undefined picks one for the text's language. */
  voiceURI: string | undefined;
  /** speechSynthesis rate, 0.5 (slow) to 2 (fast). */
  rate: number;
  /** Dictation sends the transcript at once instead of leaving it in the box for review. */
  sendAtOnce: boolean;
}

export const DEFAULT_SPEECH_SETTINGS: SpeechSettings = { voiceURI: undefined, rate: 1, sendAtOnce: false };

let store: UseStore | undefined;
const settings = () => (store ??= createStore('nook-speech-settings', 'settings'));

/** A rate the synthesizer accepts: clamped to 0.5–2, anything not a number reads at 1. */
export const clampRate = (rate: unknown): number =>
  typeof rate === 'number' && Number.isFinite(rate) ? Math.min(2, Math.max(0.5, rate)) : 1;

export async function loadSpeechSettings(): Promise<SpeechSettings> {
  const stored = await get<Partial<SpeechSettings>>('speech', settings());
  return {
    voiceURI: typeof stored?.voiceURI === 'string' ? stored.voiceURI : undefined,
    rate: clampRate(stored?.rate),
    sendAtOnce: stored?.sendAtOnce === true,
  };
}

export const saveSpeechSettings = (value: SpeechSettings) => set('speech', value, settings());
