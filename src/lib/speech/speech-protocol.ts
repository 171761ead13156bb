/**
 * The one message protocol between the page (`speech-client.ts`) and the speech worker
 * (`speech.worker.ts`, served by `speech-serve.ts`). Every `kind` has its own payload; both sides
 * switch over it exhaustively. A request's `id` comes back on its answer. Audio moves by transfer.
 */
import type { SpeechErrorCode } from './errors';

export interface LoadSpeechModel {
  kind: 'load';
  id: number;
  /** A stored speech model's id (its repo path, e.g. `onnx-community/whisper-tiny`). */
  modelId: string;
}

export interface TranscribeRequest {
  kind: 'transcribe';
  id: number;
  modelId: string;
  /** Mono samples at 16 kHz, transferred. */
  audio: Float32Array;
  /** An ISO 639-1 code the model knows, or undefined (English for a multilingual model). */
  language: string | undefined;
}

export type SpeechRequest = LoadSpeechModel | TranscribeRequest;

export interface SpeechLoaded {
  kind: 'loaded';
  id: number;
  modelId: string;
}

export interface TranscriptReply {
  kind: 'transcript';
  id: number;
  text: string;
  /** Time spent in the model (features, encoder, decoding), for the bench. */
  ms: number;
}

export interface SpeechFailure {
  kind: 'error';
  /** The load or transcription that failed. */
  id: number;
  code: SpeechErrorCode;
  message: string;
}

export type SpeechReply = SpeechLoaded | TranscriptReply | SpeechFailure;
