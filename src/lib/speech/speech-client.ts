/**
 * Speech: everything Nook does with voice that is not a component or a store. Owns the speech
 * worker's protocol and its page-side client (this file), microphone capture (`microphone.ts`),
 * the speech-model catalog, download and storage, on-device recognition detection, read-aloud
 * sentence splitting and voice picking. It must not touch chat, models or engine state: stores in
 * `src/state/` wire it to them.
 *
 * `Transcriber` is the page side of the speech worker: it starts the worker on first use, sends
 * each recording (transferred, not copied), and if the worker dies rejects every pending request
 * and starts a fresh one on the next call.
 */
import { SpeechError } from './errors';
import { assertNever } from '../shared/assert-never';
import type { SpeechReply, SpeechRequest } from './speech-protocol';

export interface Transcript {
  text: string;
  /** Time the worker spent transcribing. */
  ms: number;
}

interface Pending {
  resolve: (value: Transcript) => void;
  reject: (error: Error) => void;
}

/** The subset of Worker the client needs, so a unit test can hand it a MessagePort. */
export interface SpeechWorkerLike {
  postMessage(message: SpeechRequest, transfer: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<SpeechReply>) => void): void;
  addEventListener(type: 'error', listener: (event: Event) => void): void;
  terminate(): void;
}

export class Transcriber {
  #worker: SpeechWorkerLike | undefined;
  #nextId = 1;
  #pending = new Map<number, Pending>();
  #loads: Array<{ modelId: string; resolve: () => void; reject: (error: Error) => void }> = [];

  constructor(private readonly createWorker: () => SpeechWorkerLike) {}

  /** Loads the model ahead of the first recording, so the first transcript comes sooner. */
  warm(modelId: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#loads.push({ modelId, resolve, reject });
      this.#ensure().postMessage({ kind: 'load', modelId }, []);
    });
  }

  transcribe(
    modelId: string,
    audio: Float32Array,
    language: string | undefined,
    signal?: AbortSignal,
  ): Promise<Transcript> {
    const requestId = this.#nextId++;
    return new Promise<Transcript>((resolve, reject) => {
      if (signal?.aborted) return reject(new DOMException('Transcription abandoned', 'AbortError'));
      this.#pending.set(requestId, { resolve, reject });
      // An abandoned request's answer is dropped when it arrives (latest request wins).
      signal?.addEventListener('abort', () => {
        if (this.#pending.delete(requestId)) reject(new DOMException('Transcription abandoned', 'AbortError'));
      });
      this.#ensure().postMessage({ kind: 'transcribe', requestId, modelId, audio, language }, [audio.buffer]);
    });
  }

  /** Frees the worker and the model it holds (e.g. after the model was deleted). */
  dispose(): void {
    this.#crash(new SpeechError('worker-crashed', 'Speech recognition was closed.'));
  }

  #ensure(): SpeechWorkerLike {
    if (this.#worker) return this.#worker;
    const worker = this.createWorker();
    worker.addEventListener('message', (event) => this.#onReply(event.data));
    worker.addEventListener('error', () => this.#crash(new SpeechError('worker-crashed')));
    this.#worker = worker;
    return worker;
  }

  #onReply(reply: SpeechReply): void {
    switch (reply.kind) {
      case 'loaded': {
        const load = this.#loads.shift();
        load?.resolve();
        return;
      }
      case 'transcript': {
        const pending = this.#pending.get(reply.requestId);
        this.#pending.delete(reply.requestId);
        pending?.resolve({ text: reply.text, ms: reply.ms });
        return;
      }
      case 'error': {
        const error = new SpeechError(reply.code, reply.message);
        if (reply.requestId === undefined) {
          this.#loads.shift()?.reject(error);
          return;
        }
        const pending = this.#pending.get(reply.requestId);
        this.#pending.delete(reply.requestId);
        pending?.reject(error);
        return;
      }
      default:
        assertNever(reply);
    }
  }

  #crash(error: Error): void {
    this.#worker?.terminate();
    this.#worker = undefined;
    for (const pending of this.#pending.values()) pending.reject(error);
    this.#pending.clear();
    for (const load of this.#loads) load.reject(error);
    this.#loads = [];
  }
}
