/**
 * The speech stores, handed down beside AppState. They are created after the first paint (their
 * code is not needed to show the chat), so the context holds a handle whose `state` is set once
 * they exist; the speech components are loaded lazily too and only render once it is set
 * (`ui/speech/Dictate.svelte`, `ReadAloud.svelte`, `VoiceMode.svelte` wrap that).
 */
import { getContext, setContext } from 'svelte';
import type { DictationState } from './dictation.svelte';
import type { ReadAloudState } from './read-aloud.svelte';
import type { SpeechModelsState } from './models.svelte';
import type { SpeechSettingsState } from './settings.svelte';
import type { VoiceModeState } from './voice-mode.svelte';

export interface SpeechState {
  speechModels: SpeechModelsState;
  preferences: SpeechSettingsState;
  dictation: DictationState;
  readAloud: ReadAloudState;
  voiceMode: VoiceModeState;
}

export class SpeechHandle {
  #state = $state.raw<SpeechState | undefined>();
  get state(): SpeechState | undefined {
    return this.#state;
  }
  attach(state: SpeechState): void {
    this.#state = state;
  }
}

const KEY = Symbol('nook-speech-state');

export const provideSpeech = (handle: SpeechHandle): SpeechHandle => setContext(KEY, handle);
export const useSpeechHandle = (): SpeechHandle => getContext<SpeechHandle>(KEY);
/** For components that render only once the speech stores exist. */
export function useSpeech(): SpeechState {
  const state = useSpeechHandle().state;
  if (!state) throw new Error('Speech components must render inside a loaded speech wrapper.');
  return state;
}
