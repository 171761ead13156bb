/**
 * The speech worker's side of `speech-protocol`: loads a model once per id (a failed load is
 * forgotten, so the next try starts afresh), transcribes, and answers each request by its id
 * with a typed failure when something goes wrong. The model itself is injected: the worker entry
 * opens Whisper through transformers.js, a unit test passes a fake.
 */
import { assertNever } from '../shared/assert-never';
import type { ServePort } from '../shared/worker-bridge';
import { SpeechError } from './errors';
import type { SpeechReply, SpeechRequest } from './speech-protocol';

/** A loaded speech model. */
export interface SpeechRecognizer {
  transcribe(audio: Float32Array, language: string | undefined): Promise<string>;
}

/** Opens a stored model (throwing a `no-speech-model` SpeechError when it is not stored). */
export type OpenRecognizer = (modelId: string) => Promise<SpeechRecognizer>;

function failure(id: number, error: unknown): SpeechReply {
  if (error instanceof SpeechError) return { kind: 'error', id, code: error.code, message: error.message };
  const detail = error instanceof Error ? error.message : String(error);
  return { kind: 'error', id, code: 'model-failed', message: `The speech model could not run: ${detail}` };
}

export function serveSpeech(port: ServePort<SpeechRequest, SpeechReply>, open: OpenRecognizer): void {
  const recognizers = new Map<string, Promise<SpeechRecognizer>>();

  function recognizer(modelId: string): Promise<SpeechRecognizer> {
    let pending = recognizers.get(modelId);
    if (!pending) {
      pending = open(modelId);
      pending.catch(() => recognizers.delete(modelId));
      recognizers.set(modelId, pending);
    }
    return pending;
  }

  async function answer(request: SpeechRequest): Promise<SpeechReply> {
    switch (request.kind) {
      case 'load':
        await recognizer(request.modelId);
        return { kind: 'loaded', id: request.id, modelId: request.modelId };
      case 'transcribe': {
        const model = await recognizer(request.modelId);
        const started = performance.now();
        const text = await model.transcribe(request.audio, request.language);
        return { kind: 'transcript', id: request.id, text, ms: performance.now() - started };
      }
      default:
        return assertNever(request);
    }
  }

  port.addEventListener('message', ({ data: request }) => {
    void answer(request).then(
      (reply) => port.postMessage(reply),
      (error: unknown) => port.postMessage(failure(request.id, error)),
    );
  });
}
