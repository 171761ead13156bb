/** Creates the speech stores and the (lazily started) speech worker behind them. */
import { Transcriber } from '../../lib/speech/speech-client';
import type { ChatState } from '../chat/chat.svelte';
import { DictationState } from './dictation.svelte';
import { ReadAloudState } from './read-aloud.svelte';
import type { SpeechState } from './context.svelte';
import { SpeechModelsState } from './models.svelte';
import { SpeechSettingsState } from './settings.svelte';
import { VoiceModeState } from './voice-mode.svelte';

/** Vite bundles the worker (and transformers.js with it) from this exact form; nothing loads until used. */
const createSpeechWorker = () =>
  new Worker(new URL('../../lib/speech/speech.worker.ts', import.meta.url), { type: 'module', name: 'nook-speech' });

export function createSpeechState(chat: ChatState): SpeechState & { start(): () => void } {
  const transcriber = new Transcriber(createSpeechWorker);
  const speechModels = new SpeechModelsState();
  speechModels.onDeleted = () => transcriber.dispose();
  speechModels.onDownloaded = (id) => transcriber.warm(id);
  const preferences = new SpeechSettingsState();
  const dictation = new DictationState(speechModels, transcriber);
  const readAloud = new ReadAloudState(preferences);
  const voiceMode = new VoiceModeState(dictation, readAloud, chat);
  return {
    speechModels,
    preferences,
    dictation,
    readAloud,
    voiceMode,
    start() {
      void speechModels.start();
      void preferences.start();
      void dictation.detectOnDevice();
      return readAloud.start();
    },
  };
}
