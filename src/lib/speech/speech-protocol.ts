/**
 * The one message protocol between the page and the speech worker (`speech.worker.ts`). Every
 * `kind` has its own payload; both sides switch over it exhaustively. Audio moves by transfer.
 */
import type { SpeechErrorCode } from './errors';

export interface LoadSpeechModel {
  kind: 'load';
  /** A stored speech model's id (its repo path, e.g. `onnx-community/whisper-tiny`). */
  modelId: string;
}

export interface TranscribeRequest {
  kind: 'transcribe';
  /** Rising per request: the page drops an answer to a request it has given up on. */
  requestId: number;
  modelId: string;
  /** Mono samples at 16 kHz, transferred. */
  audio: Float32Array;
  /** An ISO 639-1 code the model knows, or undefined (English for a multilingual model). */
  language: string | undefined;
}

export type SpeechRequest = LoadSpeechModel | TranscribeRequest;

export interface SpeechLoaded {
  kind: 'loaded';
  modelId: string;
}

export interface TranscriptReply {
  kind: 'transcript';
  requestId: number;
  text: string;
  /** Time spent in the model (features, encoder, decoding), for the bench. */
  ms: number;
}

export interface SpeechFailure {
  kind: 'error';
  /** The request that failed; undefined for a failed load. */
  requestId: number | undefined;
  code: SpeechErrorCode;
  message: string;
}

export type SpeechReply = SpeechLoaded | TranscriptReply | SpeechFailure;
