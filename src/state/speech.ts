/** Creates the speech stores and the (lazily started) speech worker behind them. */
import { Transcriber } from '../lib/speech/transcriber';
import type { ChatSession } from './chat.svelte';
import { Dictation } from './dictation.svelte';
import { ReadAloud } from './read-aloud.svelte';
import type { SpeechState } from './speech-context.svelte';
import { SpeechModelLibrary } from './speech-models.svelte';
import { SpeechPreferences } from './speech-settings.svelte';
import { VoiceMode } from './voice-mode.svelte';

/** Vite bundles the worker (and transformers.js with it) from this exact form; nothing loads until used. */
const createSpeechWorker = () =>
  new Worker(new URL('../lib/speech/whisper.worker.ts', import.meta.url), { type: 'module', name: 'nook-speech' });

export function createSpeechState(chat: ChatSession): SpeechState & { start(): () => void } {
  const transcriber = new Transcriber(createSpeechWorker);
  const speechModels = new SpeechModelLibrary();
  speechModels.onDeleted = () => transcriber.dispose();
  speechModels.onDownloaded = (id) => transcriber.warm(id);
  const preferences = new SpeechPreferences();
  const dictation = new Dictation(speechModels, transcriber);
  const readAloud = new ReadAloud(preferences);
  const voiceMode = new VoiceMode(dictation, readAloud, chat);
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
