// Writes a tiny Whisper speech-to-text model that @huggingface/transformers (v4) loads and runs
// like a real one, and whose transcript is known in advance — the speech counterpart of
// make-tiny-model.mjs. The e2e tests and the bench drive the real transcription stack with it
// (feature extraction, onnxruntime-web on wasm, Whisper's generation loop, the tokenizer) instead
// of downloading a real model.
//
// How the output is made predictable:
// - The encoder is a single Transpose of the log-mel features: it has the right input and output
//   names, and its output is ignored.
// - The decoder has no key/value cache inputs, so transformers.js hands it only the last token
//   each step. Its logits come from a fixed next-token table (a Gather of one row per token): each
//   row is zero except for the token that follows. The transcript's tokens are all distinct, so
//   "the token after the last one" spells it out, then <|endoftext|> ends the generation.
// - The tokenizer is byte-level BPE (every byte has a token, as in Whisper's own), plus one token
//   per word of the transcript and Whisper's special tokens.
//
// Files, in the layout transformers.js reads (same names as the Hugging Face repos), so a mirror
// serving them at <mirror>/<repo>/resolve/main/<file> stands in for the real model:
//   config.json generation_config.json preprocessor_config.json tokenizer.json
//   tokenizer_config.json onnx/encoder_model_quantized.onnx onnx/decoder_model_merged_quantized.onnx
//
// Module: import { makeTinyWhisper, WHISPER_TRANSCRIPT, makeSpokenWav } from './make-tiny-whisper.mjs'
// CLI:    node test-support/make-tiny-whisper.mjs --out DIR   (writes the files and speech.wav)
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

/** What the model "hears", whatever the audio: the words, with their leading spaces. */
export const WHISPER_WORDS = Object.freeze(['What', ' can', ' you', ' do', ' offline', '?']);
export const WHISPER_TRANSCRIPT = WHISPER_WORDS.join('');

const SPECIALS = [
  '<|endoftext|>',
  '<|startoftranscript|>',
  '<|en|>',
  '<|transcribe|>',
  '<|translate|>',
  '<|notimestamps|>',
];

/** GPT-2's byte-to-unicode table, which byte-level BPE (and Whisper's tokenizer) use. */
function bytesToUnicode() {
  const bytes = [];
  for (let b = 33; b <= 126; b++) bytes.push(b);
  for (let b = 161; b <= 172; b++) bytes.push(b);
  for (let b = 174; b <= 255; b++) bytes.push(b);
  const chars = [...bytes];
  let n = 0;
  for (let b = 0; b < 256; b++) {
    if (!bytes.includes(b)) {
      bytes.push(b);
      chars.push(256 + n);
      n++;
    }
  }
  return new Map(bytes.map((b, i) => [b, String.fromCodePoint(chars[i])]));
}

const BYTE_SYMBOL = bytesToUnicode();
const toSymbols = (text) => [...new TextEncoder().encode(text)].map((b) => BYTE_SYMBOL.get(b)).join('');

function vocabulary() {
  /** @type {string[]} */
  const tokens = [];
  for (let b = 0; b < 256; b++) tokens.push(BYTE_SYMBOL.get(b));
  for (const word of WHISPER_WORDS) {
    const symbols = toSymbols(word);
    if (!tokens.includes(symbols)) tokens.push(symbols);
  }
  const specialStart = tokens.length;
  tokens.push(...SPECIALS);
  const id = (token) => tokens.indexOf(token);
  return { tokens, specialStart, id };
}

function tensor(name, dataType, dims, values) {
  const t = onnx.TensorProto.create({ name, dataType, dims });
  if (dataType === onnx.TensorProto.DataType.FLOAT) t.rawData = new Uint8Array(Float32Array.from(values).buffer);
  else t.int64Data = values;
  return t;
}

function valueInfo(name, elemType, dims) {
  return onnx.ValueInfoProto.create({
    name,
    type: {
      tensorType: {
        elemType,
        shape: { dim: dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) },
      },
    },
  });
}

function model(graph) {
  return onnx.ModelProto.encode(
    onnx.ModelProto.create({
      irVersion: 7,
      producerName: 'nook-tiny-whisper',
      opsetImport: [{ domain: '', version: 13 }],
      graph,
    }),
  ).finish();
}

const FLOAT = onnx.TensorProto.DataType.FLOAT;
const INT64 = onnx.TensorProto.DataType.INT64;

function encoderOnnx() {
  return model(
    onnx.GraphProto.create({
      name: 'encoder',
      node: [
        onnx.NodeProto.create({
          opType: 'Transpose',
          input: ['input_features'],
          output: ['last_hidden_state'],
          attribute: [{ name: 'perm', type: onnx.AttributeProto.AttributeType.INTS, ints: [0, 2, 1] }],
        }),
      ],
      input: [valueInfo('input_features', FLOAT, ['batch_size', 80, 3000])],
      output: [valueInfo('last_hidden_state', FLOAT, ['batch_size', 3000, 80])],
    }),
  );
}

function decoderOnnx(vocab) {
  const size = vocab.tokens.length;
  const eot = vocab.id('<|endoftext|>');
  const next = new Map();
  const path = ['<|notimestamps|>', ...WHISPER_WORDS.map(toSymbols), '<|endoftext|>'].map(vocab.id);
  for (let i = 0; i + 1 < path.length; i++) next.set(path[i], path[i + 1]);
  const table = new Float32Array(size * size);
  for (let row = 0; row < size; row++) table[row * size + (next.get(row) ?? eot)] = 20;
  return model(
    onnx.GraphProto.create({
      name: 'decoder',
      node: [onnx.NodeProto.create({ opType: 'Gather', input: ['next_token_table', 'input_ids'], output: ['logits'] })],
      initializer: [tensor('next_token_table', FLOAT, [size, size], table)],
      input: [valueInfo('input_ids', INT64, ['batch_size', 'decoder_sequence_length'])],
      output: [valueInfo('logits', FLOAT, ['batch_size', 'decoder_sequence_length', size])],
    }),
  );
}

/** @returns {Record<string, Uint8Array>} every file of the model, by path inside the repo */
export function makeTinyWhisper() {
  const vocab = vocabulary();
  const { id } = vocab;
  const json = (value) => new TextEncoder().encode(JSON.stringify(value, null, 2));
  const config = {
    architectures: ['WhisperForConditionalGeneration'],
    model_type: 'whisper',
    is_encoder_decoder: true,
    vocab_size: vocab.tokens.length,
    num_mel_bins: 80,
    d_model: 80,
    encoder_layers: 1,
    encoder_attention_heads: 1,
    decoder_layers: 1,
    decoder_attention_heads: 1,
    max_source_positions: 1500,
    max_target_positions: 448,
    bos_token_id: id('<|endoftext|>'),
    eos_token_id: id('<|endoftext|>'),
    pad_token_id: id('<|endoftext|>'),
    decoder_start_token_id: id('<|startoftranscript|>'),
    use_cache: false,
  };
  const generation = {
    decoder_start_token_id: id('<|startoftranscript|>'),
    bos_token_id: id('<|endoftext|>'),
    eos_token_id: id('<|endoftext|>'),
    pad_token_id: id('<|endoftext|>'),
    is_multilingual: true,
    lang_to_id: { '<|en|>': id('<|en|>') },
    task_to_id: { transcribe: id('<|transcribe|>'), translate: id('<|translate|>') },
    no_timestamps_token_id: id('<|notimestamps|>'),
    max_length: 448,
    suppress_tokens: [],
    begin_suppress_tokens: [id('<|endoftext|>')],
  };
  const preprocessor = {
    feature_extractor_type: 'WhisperFeatureExtractor',
    processor_class: 'WhisperProcessor',
    feature_size: 80,
    sampling_rate: 16000,
    hop_length: 160,
    chunk_length: 30,
    n_fft: 400,
    n_samples: 480000,
    nb_max_frames: 3000,
    padding_side: 'right',
    padding_value: 0.0,
    return_attention_mask: false,
  };
  const tokenizer = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: SPECIALS.map((content) => ({
      id: id(content),
      content,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    })),
    normalizer: null,
    pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true },
    post_processor: null,
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: '',
      end_of_word_suffix: '',
      fuse_unk: false,
      byte_fallback: false,
      vocab: Object.fromEntries(vocab.tokens.slice(0, vocab.specialStart).map((t, i) => [t, i])),
      merges: [],
    },
  };
  const tokenizerConfig = {
    tokenizer_class: 'WhisperTokenizer',
    model_max_length: 1024,
    bos_token: '<|endoftext|>',
    eos_token: '<|endoftext|>',
    unk_token: '<|endoftext|>',
    pad_token: '<|endoftext|>',
    add_prefix_space: false,
    clean_up_tokenization_spaces: true,
  };
  return {
    'config.json': json(config),
    'generation_config.json': json(generation),
    'preprocessor_config.json': json(preprocessor),
    'tokenizer.json': json(tokenizer),
    'tokenizer_config.json': json(tokenizerConfig),
    'onnx/encoder_model_quantized.onnx': encoderOnnx(),
    'onnx/decoder_model_merged_quantized.onnx': decoderOnnx(vocab),
  };
}

/**
 * A mono 16-bit WAV for Chromium's fake microphone (it plays the file in a loop): `seconds` of a
 * voice-like sound — a 220 Hz tone whose loudness rises and falls like syllables — then
 * `silenceSeconds` of silence, so that "the user stopped talking" can be detected.
 */
export function makeSpokenWav({ seconds = 1.5, silenceSeconds = 2.5, sampleRate = 16000 } = {}) {
  const total = Math.round((seconds + silenceSeconds) * sampleRate);
  const voiced = Math.round(seconds * sampleRate);
  const data = new Int16Array(total);
  for (let i = 0; i < voiced; i++) {
    const t = i / sampleRate;
    const syllables = 0.55 + 0.45 * Math.sin(2 * Math.PI * 4 * t);
    data[i] = Math.round(
      (12000 * syllables * (Math.sin(2 * Math.PI * 220 * t) + 0.4 * Math.sin(2 * Math.PI * 440 * t))) / 1.4,
    );
  }
  const header = new DataView(new ArrayBuffer(44));
  const text = (at, s) => [...s].forEach((c, i) => header.setUint8(at + i, c.charCodeAt(0)));
  text(0, 'RIFF');
  header.setUint32(4, 36 + data.byteLength, true);
  text(8, 'WAVE');
  text(12, 'fmt ');
  header.setUint32(16, 16, true);
  header.setUint16(20, 1, true);
  header.setUint16(22, 1, true);
  header.setUint32(24, sampleRate, true);
  header.setUint32(28, sampleRate * 2, true);
  header.setUint16(32, 2, true);
  header.setUint16(34, 16, true);
  text(36, 'data');
  header.setUint32(40, data.byteLength, true);
  const wav = new Uint8Array(44 + data.byteLength);
  wav.set(new Uint8Array(header.buffer), 0);
  wav.set(new Uint8Array(data.buffer), 44);
  return wav;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { mkdirSync, writeFileSync } = await import('node:fs');
  const { dirname, join } = await import('node:path');
  const at = process.argv.indexOf('--out');
  const out = at > 0 ? process.argv[at + 1] : 'tiny-whisper';
  let bytes = 0;
  for (const [path, body] of Object.entries(makeTinyWhisper())) {
    mkdirSync(dirname(join(out, path)), { recursive: true });
    writeFileSync(join(out, path), body);
    bytes += body.length;
  }
  writeFileSync(join(out, 'speech.wav'), makeSpokenWav());
  console.log(`wrote ${out}: ${Math.round(bytes / 1024)} KB of model, transcript "${WHISPER_TRANSCRIPT}"`);
}
