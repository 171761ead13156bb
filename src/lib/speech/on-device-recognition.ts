/**
 * The browser's own speech recognition, used only where it runs on the device. Chrome's
 * `SpeechRecognition` sends audio to a cloud service unless `processLocally` is set, so Nook uses
 * it only when the API has `processLocally` and `SpeechRecognition.available({ langs,
 * processLocally: true })` answers "available" — and then always with `processLocally = true`.
 * Anything else (no API, no language pack, an older API without `processLocally`) means "not here".
 */

export type OnDeviceStatus = 'available' | 'downloadable' | 'downloading' | 'unavailable' | 'unsupported';

interface RecognitionResultEvent extends Event {
  results: ArrayLike<ArrayLike<{ transcript: string }> & { isFinal: boolean }>;
}

interface RecognitionErrorEvent extends Event {
  error: string;
}

export interface OnDeviceRecognition extends EventTarget {
  lang: string;
  processLocally: boolean;
  interimResults: boolean;
  continuous: boolean;
  start(): void;
  stop(): void;
  abort(): void;
}

export interface RecognitionConstructor {
  new (): OnDeviceRecognition;
  prototype: object;
  available?: (options: { langs: string[]; processLocally: boolean }) => Promise<string>;
}

/** The constructor, if this browser has one (Chrome still prefixes it in places). */
export function recognitionConstructor(scope: object = globalThis): RecognitionConstructor | undefined {
  const candidate = (scope as { SpeechRecognition?: unknown; webkitSpeechRecognition?: unknown }).SpeechRecognition;
  return typeof candidate === 'function' ? (candidate as RecognitionConstructor) : undefined;
}

export async function onDeviceStatus(lang: string, scope: object = globalThis): Promise<OnDeviceStatus> {
  const Recognition = recognitionConstructor(scope);
  if (!Recognition || typeof Recognition.available !== 'function' || !('processLocally' in Recognition.prototype)) {
    return 'unsupported';
  }
  try {
    const status = await Recognition.available({ langs: [lang], processLocally: true });
    return status === 'available' || status === 'downloadable' || status === 'downloading' ? status : 'unavailable';
  } catch {
    return 'unavailable';
  }
}

/**
 * One utterance through on-device recognition. The caller must have seen `onDeviceStatus(lang)`
 * answer "available"; this checks it again, so the cloud path can never start from here.
 */
export async function recognizeOnDevice(
  lang: string,
  signal: AbortSignal,
  scope: object = globalThis,
): Promise<string> {
  if ((await onDeviceStatus(lang, scope)) !== 'available') throw new Error('On-device recognition is not available.');
  const Recognition = recognitionConstructor(scope)!;
  const recognition = new Recognition();
  recognition.processLocally = true;
  if (!recognition.processLocally) throw new Error('On-device recognition is not available.');
  recognition.lang = lang;
  recognition.interimResults = false;
  recognition.continuous = false;
  return new Promise<string>((resolve, reject) => {
    let text = '';
    recognition.addEventListener('result', (event) => {
      const results = (event as RecognitionResultEvent).results;
      text = Array.from(results, (r) => r[0]?.transcript ?? '').join(' ');
    });
    recognition.addEventListener('error', (event) => reject(new Error((event as RecognitionErrorEvent).error)));
    recognition.addEventListener('end', () => resolve(text.trim()));
    signal.addEventListener('abort', () => recognition.stop());
    recognition.start();
  });
}
