/** What can go wrong with speech, each with the sentence the user reads. */
export type SpeechErrorCode =
  | 'mic-denied'
  | 'no-input-device'
  | 'mic-unavailable'
  | 'no-speech-model'
  | 'model-failed'
  | 'no-voice'
  | 'nothing-heard'
  | 'worker-crashed';

export class SpeechError extends Error {
  constructor(
    readonly code: SpeechErrorCode,
    message = SPEECH_MESSAGES[code],
  ) {
    super(message);
    this.name = 'SpeechError';
  }
}

export const SPEECH_MESSAGES: Readonly<Record<SpeechErrorCode, string>> = {
  'mic-denied':
    'Nook may not use the microphone. Allow it in the browser’s site settings (the icon next to the address), then try again.',
  'no-input-device': 'No microphone was found. Connect one (or pick one in the system settings), then try again.',
  'mic-unavailable': 'The microphone could not be opened: another app may be using it.',
  'no-speech-model':
    'The speech model is not downloaded yet. Download one under Models → Speech to text; it then works offline.',
  'model-failed': 'The speech model could not run on this device.',
  'no-voice':
    'This device has no on-device voice for reading aloud. Install a system voice (text-to-speech) and reload Nook.',
  'nothing-heard': 'Nothing was heard. Speak a little louder or closer to the microphone.',
  'worker-crashed': 'Speech recognition stopped unexpectedly. Try again.',
};

/** Maps getUserMedia's DOMException names (a standard, not an English message) to our codes. */
export function microphoneErrorCode(error: unknown): SpeechErrorCode {
  const name = error instanceof DOMException || error instanceof Error ? error.name : '';
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return 'mic-denied';
    case 'NotFoundError':
    case 'OverconstrainedError':
      return 'no-input-device';
    default:
      return 'mic-unavailable';
  }
}
