/**
 * Speech: everything Nook does with voice that is not a component or a store. Owns the speech
 * worker's protocol and its page-side client (this file), microphone capture (`microphone.ts`),
 * the speech-model catalog, download and storage, on-device recognition detection, read-aloud
 * sentence splitting and voice picking. It must not touch chat, models or engine state: stores in
 * `src/state/` wire it to them.
 *
 * `Transcriber` is the page side of the speech worker, over a {@link WorkerBridge}: it starts the
 * worker on first use, sends each recording (transferred, not copied), and if the worker dies or
 * sends what cannot be read rejects every pending request and starts a fresh one on the next call.
 */
import { SpeechError } from './errors';
import { assertNever } from '../shared/assert-never';
import { WorkerBridge, type Addressed, type Heard, type WorkerLike } from '../shared/worker-bridge';
import type { SpeechReply, SpeechRequest } from './speech-protocol';

export interface Transcript {
  text: string;
  /** Time the worker spent transcribing. */
  ms: number;
}

type Pending =
  | { kind: 'load'; resolve: () => void; reject: (error: Error) => void }
  | { kind: 'transcribe'; resolve: (transcript: Transcript) => void; reject: (error: Error) => void };

const abandoned = () => new DOMException('Transcription abandoned', 'AbortError');

export class Transcriber {
  readonly #bridge: WorkerBridge<SpeechRequest, SpeechReply, Pending, SpeechError>;

  constructor(createWorker: () => WorkerLike) {
    this.#bridge = new WorkerBridge<SpeechRequest, SpeechReply, Pending, SpeechError>(createWorker, {
      receive: receiveSpeechReply,
      // The user reads the same sentence whether the worker died or its answer was unreadable.
      lostError: () => new SpeechError('worker-crashed'),
    });
  }

  /** Loads the model ahead of the first recording, so the first transcript comes sooner. */
  warm(modelId: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#bridge.call({ kind: 'load', modelId }, { kind: 'load', resolve, reject });
    });
  }

  transcribe(
    modelId: string,
    audio: Float32Array,
    language: string | undefined,
    signal?: AbortSignal,
  ): Promise<Transcript> {
    return new Promise<Transcript>((resolve, reject) => {
      this.#bridge.call(
        { kind: 'transcribe', modelId, audio, language },
        { kind: 'transcribe', resolve, reject },
        // An abandoned request's answer is dropped when it arrives (latest request wins).
        { transfer: [audio.buffer], signal, onAbort: { drop: abandoned } },
      );
    });
  }

  /** Frees the worker and the model it holds (e.g. after the model was deleted). */
  dispose(): void {
    this.#bridge.terminate(new SpeechError('worker-crashed', 'Speech recognition was closed.'));
  }
}

function receiveSpeechReply(reply: Addressed<SpeechReply>, pending: Pending): Heard {
  switch (reply.kind) {
    case 'loaded':
      if (pending.kind !== 'load') return mismatch(pending, reply);
      pending.resolve();
      return 'settled';
    case 'transcript':
      if (pending.kind !== 'transcribe') return mismatch(pending, reply);
      pending.resolve({ text: reply.text, ms: reply.ms });
      return 'settled';
    case 'error':
      pending.reject(new SpeechError(reply.code, reply.message));
      return 'settled';
    default:
      return assertNever(reply);
  }
}

/** A reply of the wrong kind for its request: the caller is told, never left waiting. */
function mismatch(pending: Pending, reply: SpeechReply): Heard {
  pending.reject(
    new SpeechError('model-failed', `The speech worker answered a ${pending.kind} request with ${reply.kind}.`),
  );
  return 'settled';
}
