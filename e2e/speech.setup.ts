/**
 * Before the speech project: a speech-dispatcher of our own, so Chromium has on-device voices
 * (espeak-ng) that speak into a null audio output. Fails with what to install when it cannot.
 */
import { test as setup } from '@playwright/test';
import { startSpeechDispatcher } from './fixtures/speech-dispatcher.mjs';

setup('speech-dispatcher with espeak-ng and a null audio output', async () => {
  await startSpeechDispatcher(process.env.NOOK_SPEECH_DIR ?? '/tmp/nook-e2e-speech');
});
