/**
 * Speech-to-text models Nook offers: Whisper exported to ONNX for transformers.js, fetched from the
 * model host (or the user's mirror, same layout: `<mirror>/<repo>/resolve/main/<file>`).
 */
import { DEFAULT_MODEL_HOST, normaliseMirror } from '../models/hosts';

export interface SpeechModelEntry {
  /** The repository, which is also the id transformers.js is given. */
  id: string;
  name: string;
  /** Rough download size, before the host tells us the real one. */
  approxMB: number;
  /** Knows many languages (prefix tokens for language and task), or English only. */
  multilingual: boolean;
  note: string;
}

/** The files transformers.js reads for a Whisper model with 8-bit weights (`dtype: 'q8'`). */
export const SPEECH_MODEL_FILES = Object.freeze([
  'config.json',
  'generation_config.json',
  'preprocessor_config.json',
  'tokenizer.json',
  'tokenizer_config.json',
  'onnx/encoder_model_quantized.onnx',
  'onnx/decoder_model_merged_quantized.onnx',
]);

export const SPEECH_CATALOG: readonly SpeechModelEntry[] = [
  {
    id: 'onnx-community/whisper-tiny',
    name: 'Whisper tiny',
    approxMB: 41,
    multilingual: true,
    note: 'Fast on any device; good for short dictation.',
  },
  {
    id: 'onnx-community/whisper-base',
    name: 'Whisper base',
    approxMB: 80,
    multilingual: true,
    note: 'More accurate, about twice as slow.',
  },
];

export const speechFileUrl = (modelId: string, file: string, mirror?: string): string =>
  `${normaliseMirror(mirror) ?? DEFAULT_MODEL_HOST}/${modelId}/resolve/main/${file}`;

/** The language to ask Whisper for: the primary subtag of a BCP 47 tag (`de-AT` → `de`). */
export const whisperLanguage = (tag: string | undefined): string | undefined =>
  tag ? /^[a-z]{2,3}/i.exec(tag)?.[0]?.toLowerCase() : undefined;
