// Writes a tiny llama-architecture GGUF (v3) model that llama.cpp, and so wllama, loads and runs,
// and whose greedy output is known in advance. The end-to-end tests drive the real inference stack
// with it instead of downloading a real model.
//
// How the weights make the output predictable:
// - Every attention and feed-forward matrix is zero, so each block adds nothing to the residual
//   stream: after any number of layers the hidden state is still the embedding of the current token.
// - Token embeddings are one-hot (row t has a single 1 at column t; hence embd >= vocabulary size),
//   so the final RMS norm turns the hidden state into sqrt(embd) * e_t and nothing else.
// - The output matrix holds one non-zero per input token: column t carries a weight in the row of
//   succ(t), so the logits are 0 everywhere except for succ(t). The next token is thus a pure
//   function of the last token, whatever came before it.
// - By default succ() walks the reply cycle (<|assistant|> -> first reply token -> ... -> last ->
//   first) and sends every other token to the first reply token, so the model never emits EOS or a
//   control token: generation only ends at max_tokens (or the context limit).
//
// Replies that end, and replies that depend on the prompt (the reasoning and tool-calling fixtures,
// tiny-chat-models.mjs):
// - `endAfterReply` sends a reply's last token to the end-of-turn token (`eotToken`), so the
//   reply is said once and generation stops, as a real model's does.
// - `replies` gives several chains, each `{ after, reply }`: the token `after` leads to the
//   chain's first token. Since only the last token counts, what the model says depends on the
//   last token of the prompt, i.e. on how the model's own chat template (`chatTemplate`) ends
//   the generation prompt. The fixture templates end it with "\n" after a user message and with
//   "\n\n" after a tool result (or after the empty think block of enable_thinking false), so
//   `after: '\n'` and `after: '\n\n'` select the first and the final answer. A chain's last token
//   may be another chain's `after`: the reply then runs on into that chain (a thought ending in
//   "</think>", "\n\n" continues into the answer). Tokens no chain names lead to the first
//   chain's first token.
// - `after` must be exactly one token of the prompt as llama.cpp tokenizes it: a byte ("\n"), a
//   control or text token, or a whitespace run the pre-tokenizer keeps whole ("\n\n" at the end of
//   the prompt); the generator gives it a merge like any reply token.
// - Extra special tokens: `controlTokens` are control tokens (llama.cpp parses them in the prompt
//   and does not render them in the output: <|im_start|>, <|im_end|>); `textTokens` are added
//   tokens that are not control tokens, as Qwen3 has <think> and <tool_call>: always tokenized
//   whole, and rendered into the output text, where llama.cpp's reasoning and tool-call parsers
//   look for them.
//
// Module: import { makeTinyModel, expectedReply, ... } from './make-tiny-model.mjs'.
// CLI:    node test-support/make-tiny-model.mjs [--out FILE] [--embd N] [--layers N] [--ff N]
//                                               [--heads N] [--head-dim N]
// The output is deterministic: the same options give a byte-identical file (and the options this
// generator had before the chains give the files they always gave). The module has no top-level
// Node imports, so makeTinyModel() also runs in a browser.

/** Context length the model declares (llama.context_length). */
export const CONTEXT_LENGTH = 256;

/** The tokens the model emits after `<|assistant|>`, in order; the list repeats forever. */
export const REPLY_TOKENS = Object.freeze([
  'Nook',
  ' runs',
  ' entirely',
  ' on',
  ' your',
  ' device',
  ',',
  ' so',
  ' nothing',
  ' you',
  ' type',
  ' leaves',
  ' it',
  '.',
  '\n',
]);

/** One turn of the reply cycle: "Nook runs entirely on your device, so nothing you type leaves it.\n" */
export const REPLY_CYCLE_TEXT = REPLY_TOKENS.join('');

/**
 * Special tokens, all control tokens; the chat template below uses the role tokens and <|end|>.
 * EOS is spelled <|endoftext|> because llama.cpp recognises that text (and <|end|>) as
 * end-of-generation; with any other name it warns "special_eos_id is not in special_eog_ids".
 */
export const SPECIAL_TOKENS = Object.freeze({
  bos: '<|bos|>',
  eos: '<|endoftext|>',
  system: '<|system|>',
  user: '<|user|>',
  assistant: '<|assistant|>',
  end: '<|end|>',
});

/** Jinja chat template, as a Hugging Face tokenizer_config.json would carry it. */
export const CHAT_TEMPLATE =
  '{% for message in messages %}<|{{ message.role }}|>{{ message.content }}<|end|>{% endfor %}' +
  '{% if add_generation_prompt %}<|assistant|>{% endif %}';

/**
 * The exact text of the first `nTokens` tokens the model generates after `<|assistant|>`.
 * @param {number} nTokens
 * @param {readonly string[]} [reply] the model's `reply` option, if it was given one
 */
export function expectedReply(nTokens, reply = REPLY_TOKENS) {
  let text = '';
  for (let i = 0; i < nTokens; i++) text += reply[i % reply.length];
  return text;
}

/**
 * One reply chain: the token `after` leads to `reply[0]`, each reply token to the next.
 * @typedef {{ after?: string, reply: readonly string[] }} ReplyChain
 */

/**
 * @typedef {object} TinyModelOptions
 * @property {number} [embd] embedding width; must be >= the vocabulary size (310 with the default
 *   reply). Default 384, or the vocabulary size rounded up to a multiple of 32 if that is larger.
 * @property {number} [layers] number of transformer blocks. Default 2.
 * @property {number} [ff] feed-forward width. Default 64.
 * @property {number} [heads] attention heads (KV heads are the same). Default 2.
 * @property {number} [headDim] width of one head, independent of embd as in Gemma. Default 32.
 *   For a conventional layout (heads * headDim = embd) pass e.g. heads 8, headDim 64 for embd 512.
 * @property {number} [contextLength] llama.context_length. Default CONTEXT_LENGTH.
 * @property {string} [name] general.name. Default "Nook Tiny Test".
 * @property {readonly string[]} [reply] the tokens the model emits, in order, forever. Each becomes
 *   one vocabulary token, so they must be distinct and non-empty (the next token is a function of
 *   the last one alone). Default REPLY_TOKENS. Use it for a reply full of markdown or of hostile
 *   HTML; expectedReply(n, reply) gives its text. Not with `replies`.
 * @property {readonly ReplyChain[]} [replies] several reply chains instead of `reply` (see the
 *   header comment). No token may get two different successors.
 * @property {boolean} [endAfterReply] a chain's last token leads to `eotToken` (unless it is
 *   another chain's `after`) instead of back to the chain's first token. Default false.
 * @property {string} [chatTemplate] tokenizer.chat_template. Default CHAT_TEMPLATE.
 * @property {readonly string[]} [controlTokens] control tokens added after SPECIAL_TOKENS (e.g.
 *   "<|im_start|>", "<|im_end|>"). Default none.
 * @property {readonly string[]} [textTokens] added tokens that are not control tokens (e.g.
 *   "<think>", "<tool_call>"): rendered in the output. Default none.
 * @property {string} [eotToken] the end-of-turn token (tokenizer.ggml.eot_token_id), one of
 *   SPECIAL_TOKENS or `controlTokens`. Default SPECIAL_TOKENS.end.
 */

/** @type {Required<TinyModelOptions>} */
const DEFAULTS = {
  embd: 384,
  layers: 2,
  ff: 64,
  heads: 2,
  headDim: 32,
  contextLength: CONTEXT_LENGTH,
  name: 'Nook Tiny Test',
  reply: REPLY_TOKENS,
  replies: [],
  endAfterReply: false,
  chatTemplate: CHAT_TEMPLATE,
  controlTokens: [],
  textTokens: [],
  eotToken: SPECIAL_TOKENS.end,
};

const SHAPE_KEYS = /** @type {const} */ (['embd', 'layers', 'ff', 'heads', 'headDim', 'contextLength']);

/**
 * Builds the GGUF file. The defaults give a ~1.2 MB model; larger shapes (e.g. embd 512,
 * 8 layers, ff 1408) give tens of MB with exactly the same output.
 * @param {TinyModelOptions} [options]
 * @returns {Uint8Array}
 */
export function makeTinyModel(options = {}) {
  // Options left undefined keep their default.
  const given = Object.entries(options).filter(([, value]) => value !== undefined);
  /** @type {Required<TinyModelOptions>} */
  const opts = { ...DEFAULTS, ...Object.fromEntries(given) };
  for (const key of SHAPE_KEYS) {
    const value = opts[key];
    if (!(Number.isInteger(value) && value >= 1)) throw new Error(`${key} must be a positive integer`);
  }
  if (options.reply !== undefined && options.replies !== undefined) {
    throw new Error('give either reply or replies');
  }
  /** @type {readonly ReplyChain[]} */
  const chains = options.replies ?? [{ reply: opts.reply }];
  if (
    chains.length === 0 ||
    chains.some(
      ({ reply }) => reply.length === 0 || reply.some((t) => t === '') || new Set(reply).size !== reply.length,
    )
  ) {
    throw new Error('each reply must be a non-empty list of distinct, non-empty tokens');
  }
  const vocab = buildVocab({
    chains,
    endAfterReply: opts.endAfterReply,
    controlTokens: opts.controlTokens,
    textTokens: opts.textTokens,
    eotToken: opts.eotToken,
  });
  const nVocab = vocab.tokens.length;
  if (options.embd === undefined) opts.embd = Math.max(opts.embd, Math.ceil(nVocab / 32) * 32);
  if (opts.embd < nVocab) {
    throw new Error(`embd must be at least the vocabulary size (${nVocab}): embeddings are one-hot`);
  }
  if (opts.headDim % 2 !== 0) throw new Error('headDim must be even (RoPE rotates pairs)');

  const metadata = modelMetadata(opts, vocab);
  const tensors = modelTensors(opts, vocab);
  return writeGguf(metadata, tensors);
}

// ---------------------------------------------------------------------------------------------
// Tokenizer: byte-level BPE ("gpt2"), i.e. 256 byte tokens + merges + control (and added) tokens.

const TOKEN_TYPE_NORMAL = 1;
const TOKEN_TYPE_CONTROL = 3;
const TOKEN_TYPE_USER_DEFINED = 4;

/**
 * GPT-2's bytes_to_unicode(): printable bytes map to themselves, the others to U+0100 onwards,
 * so that every byte is a visible character (a space is "Ġ", a newline "Ċ").
 * @returns {string[]} character for each byte value
 */
function gpt2ByteChars() {
  const chars = new Array(256);
  let next = 256;
  for (let b = 0; b < 256; b++) {
    const printable = (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || b >= 0xae;
    chars[b] = String.fromCodePoint(printable ? b : next++);
  }
  return chars;
}

/**
 * @typedef {object} VocabSpec
 * @property {readonly ReplyChain[]} chains
 * @property {boolean} endAfterReply
 * @property {readonly string[]} controlTokens
 * @property {readonly string[]} textTokens
 * @property {string} eotToken
 */

/**
 * Token ids: 0-255 are the bytes (id = byte value), then the tokens the merges create, then the
 * control tokens (SPECIAL_TOKENS, then `controlTokens`), then the `textTokens`. Only the reply
 * words and the chains' `after` tokens get merges (one per character, left to right), which is
 * enough for them to be single tokens while any other text falls back to smaller pieces.
 * @param {VocabSpec} spec
 */
function buildVocab({ chains, endAfterReply, controlTokens, textTokens, eotToken }) {
  const byteChars = gpt2ByteChars();
  /** @param {string} text @returns {string[]} the text's UTF-8 bytes as GPT-2 characters */
  const toBpe = (text) => Array.from(new TextEncoder().encode(text), (b) => byteChars[b] ?? '');

  /** @type {string[]} */
  const tokens = [];
  /** @type {number[]} */
  const types = [];
  /** @type {string[]} */
  const merges = [];
  /** @type {Map<string, number>} */
  const ids = new Map();
  /** @param {string} text @param {number} type */
  const add = (text, type) => {
    if (ids.has(text)) throw new Error(`token ${JSON.stringify(text)} is defined twice`);
    ids.set(text, tokens.length);
    tokens.push(text);
    types.push(type);
    return tokens.length - 1;
  };
  // Added tokens are stored (and matched in the prompt) as their own text, the rest as GPT-2 bytes.
  const added = new Set([...Object.values(SPECIAL_TOKENS), ...controlTokens, ...textTokens]);
  /** @param {string} text */
  const idOf = (text) => {
    const id = ids.get(added.has(text) ? text : toBpe(text).join(''));
    if (id === undefined) throw new Error(`no token ${JSON.stringify(text)}`);
    return id;
  };

  for (const char of byteChars) add(char, TOKEN_TYPE_NORMAL);
  const words = chains.flatMap(({ after, reply }) => (after === undefined ? reply : [after, ...reply]));
  for (const word of words) {
    if (added.has(word)) continue;
    const [first = '', ...rest] = toBpe(word);
    let prefix = first;
    for (const piece of rest) {
      const merged = prefix + piece;
      if (!ids.has(merged)) {
        merges.push(`${prefix} ${piece}`);
        add(merged, TOKEN_TYPE_NORMAL);
      }
      prefix = merged;
    }
  }
  const special = {
    bos: add(SPECIAL_TOKENS.bos, TOKEN_TYPE_CONTROL),
    eos: add(SPECIAL_TOKENS.eos, TOKEN_TYPE_CONTROL),
    system: add(SPECIAL_TOKENS.system, TOKEN_TYPE_CONTROL),
    user: add(SPECIAL_TOKENS.user, TOKEN_TYPE_CONTROL),
    assistant: add(SPECIAL_TOKENS.assistant, TOKEN_TYPE_CONTROL),
    end: add(SPECIAL_TOKENS.end, TOKEN_TYPE_CONTROL),
    eot: -1,
  };
  for (const text of controlTokens) add(text, TOKEN_TYPE_CONTROL);
  for (const text of textTokens) add(text, TOKEN_TYPE_USER_DEFINED);
  special.eot = ids.get(eotToken) ?? -1;
  if (special.eot < 0 || types[special.eot] !== TOKEN_TYPE_CONTROL) {
    throw new Error(`eotToken ${JSON.stringify(eotToken)} must be one of the control tokens`);
  }

  // succ[t] is the token that follows t (see the header comment): each chain's `after` leads to
  // its first token, each reply token to the next; a chain's last token back to its first (or to
  // the end of the turn), unless another chain starts there; every other token, <|assistant|>
  // included, leads to the first chain's first token.
  /** @type {Map<number, number>} */
  const next = new Map();
  /** @param {number} from @param {number} to */
  const link = (from, to) => {
    const before = next.get(from);
    if (before !== undefined && before !== to) {
      throw new Error(`token ${JSON.stringify(tokens[from])} would lead to two different tokens`);
    }
    next.set(from, to);
  };
  const chainIds = chains.map(({ after, reply }) => ({
    after: after === undefined ? undefined : idOf(after),
    reply: reply.map(idOf),
  }));
  for (const { after, reply } of chainIds) {
    const [first = 0] = reply;
    if (after !== undefined) link(after, first);
    for (let i = 0; i + 1 < reply.length; i++) link(reply[i] ?? 0, reply[i + 1] ?? 0);
  }
  for (const { reply } of chainIds) {
    const last = reply[reply.length - 1] ?? 0;
    if (!next.has(last)) next.set(last, endAfterReply ? special.eot : (reply[0] ?? 0));
  }
  const fallback = chainIds[0]?.reply[0] ?? 0;
  const succ = tokens.map((_, t) => next.get(t) ?? fallback);

  return { tokens, types, merges, special, succ };
}

// ---------------------------------------------------------------------------------------------
// Model: metadata and tensors.

/**
 * @param {Required<TinyModelOptions>} opts
 * @param {ReturnType<typeof buildVocab>} vocab
 * @returns {[string, GgufValue][]}
 */
function modelMetadata(opts, vocab) {
  return [
    ['general.architecture', str('llama')],
    ['general.name', str(opts.name)],
    ['general.alignment', u32(ALIGNMENT)],
    ['general.file_type', u32(1)], // mostly F16 (the 1-D norm weights are F32, as always)
    ['llama.vocab_size', u32(vocab.tokens.length)],
    ['llama.context_length', u32(opts.contextLength)],
    ['llama.embedding_length', u32(opts.embd)],
    ['llama.block_count', u32(opts.layers)],
    ['llama.feed_forward_length', u32(opts.ff)],
    ['llama.attention.head_count', u32(opts.heads)],
    ['llama.attention.head_count_kv', u32(opts.heads)],
    ['llama.attention.key_length', u32(opts.headDim)],
    ['llama.attention.value_length', u32(opts.headDim)],
    ['llama.attention.layer_norm_rms_epsilon', f32(1e-5)],
    ['llama.rope.dimension_count', u32(opts.headDim)],
    ['llama.rope.freq_base', f32(10000)],
    ['tokenizer.ggml.model', str('gpt2')],
    // "gpt-2" selects GPT-2's pre-tokenizer regex in llama.cpp ("default" would also load).
    ['tokenizer.ggml.pre', str('gpt-2')],
    ['tokenizer.ggml.tokens', arr(GGUF_STRING, vocab.tokens)],
    ['tokenizer.ggml.token_type', arr(GGUF_INT32, vocab.types)],
    ['tokenizer.ggml.merges', arr(GGUF_STRING, vocab.merges)],
    ['tokenizer.ggml.bos_token_id', u32(vocab.special.bos)],
    ['tokenizer.ggml.eos_token_id', u32(vocab.special.eos)],
    ['tokenizer.ggml.eot_token_id', u32(vocab.special.eot)],
    ['tokenizer.ggml.add_bos_token', bool(true)],
    ['tokenizer.ggml.add_eos_token', bool(false)],
    ['tokenizer.chat_template', str(opts.chatTemplate)],
  ];
}

/**
 * Tensor names and shapes are llama.cpp's for LLM_ARCH_LLAMA. Shapes are in ggml order (ne0
 * first); data is row-major with ne0 varying fastest, so element [row][col] of a tensor with
 * dims [ne0, ne1] sits at index row * ne0 + col.
 * @param {Required<TinyModelOptions>} opts
 * @param {ReturnType<typeof buildVocab>} vocab
 * @returns {TensorSpec[]}
 */
function modelTensors(opts, vocab) {
  const { embd, ff } = opts;
  const nVocab = vocab.tokens.length;
  const attn = opts.heads * opts.headDim;
  const ones = (/** @type {string} */ name) => ({
    name,
    dims: [embd],
    type: GGML_F32,
    fill: fillOnes,
  });
  const zeros = (/** @type {string} */ name, /** @type {number[]} */ dims) => ({
    name,
    dims,
    type: GGML_F16,
  });

  /** @type {TensorSpec[]} */
  const tensors = [
    {
      // Row t (the embedding of token t) is one-hot at column t.
      name: 'token_embd.weight',
      dims: [embd, nVocab],
      type: GGML_F16,
      fill: (view) => {
        for (let t = 0; t < nVocab; t++) view.setUint16((t * embd + t) * 2, F16_ONE, true);
      },
    },
  ];
  for (let l = 0; l < opts.layers; l++) {
    const blk = `blk.${l}`;
    tensors.push(
      ones(`${blk}.attn_norm.weight`),
      zeros(`${blk}.attn_q.weight`, [embd, attn]),
      zeros(`${blk}.attn_k.weight`, [embd, attn]),
      zeros(`${blk}.attn_v.weight`, [embd, attn]),
      zeros(`${blk}.attn_output.weight`, [attn, embd]),
      ones(`${blk}.ffn_norm.weight`),
      zeros(`${blk}.ffn_gate.weight`, [embd, ff]),
      zeros(`${blk}.ffn_up.weight`, [embd, ff]),
      zeros(`${blk}.ffn_down.weight`, [ff, embd]),
    );
  }
  tensors.push(ones('output_norm.weight'), {
    // Row j yields the logit of token j: it reads column t of the hidden state for every t whose
    // successor is j.
    name: 'output.weight',
    dims: [embd, nVocab],
    type: GGML_F16,
    fill: (view) => {
      vocab.succ.forEach((next, t) => view.setUint16((next * embd + t) * 2, F16_OUTPUT_WEIGHT, true));
    },
  });
  return tensors;
}

/** @param {DataView} view */
function fillOnes(view) {
  for (let i = 0; i < view.byteLength; i += 4) view.setFloat32(i, 1, true);
}

// The only non-zero F16 weights, as IEEE half-precision bit patterns.
const F16_ONE = 0x3c00; // 1.0, the one-hot embeddings
// 4.0, the output weight of succ(t). After the final norm the hidden state is sqrt(embd) * e_t, so
// succ(t) gets a logit of 4 * sqrt(embd) (~78 for embd 384) and every other token 0: greedy
// decoding, but also any usual temperature or repetition penalty, picks succ(t).
const F16_OUTPUT_WEIGHT = 0x4400;

// ---------------------------------------------------------------------------------------------
// GGUF v3 writer (https://github.com/ggml-org/ggml/blob/master/docs/gguf.md). Little-endian.
//
// Layout: magic "GGUF", version, tensor count, metadata count, the metadata key/values, the tensor
// infos (name, dims, type, offset), padding to ALIGNMENT, then the tensor data, each tensor starting
// at a multiple of ALIGNMENT relative to the start of the data section.

const ALIGNMENT = 32;
const GGUF_UINT16 = 2;
const GGUF_UINT32 = 4;
const GGUF_INT32 = 5;
const GGUF_FLOAT32 = 6;
const GGUF_BOOL = 7;
const GGUF_STRING = 8;
const GGUF_ARRAY = 9;
const GGML_F32 = 0;
const GGML_F16 = 1;
const GGML_Q4_0 = 2;
const GGML_Q8_0 = 8;
/** [elements per block, bytes per block] of the tensor types the generators write. */
const BLOCK = { [GGML_F32]: [1, 4], [GGML_F16]: [1, 2], [GGML_Q4_0]: [32, 18], [GGML_Q8_0]: [32, 34] };

/** What the real-size generator (make-real-model.mjs) builds on. */
export const gguf = Object.freeze({
  types: { F32: GGML_F32, F16: GGML_F16, Q4_0: GGML_Q4_0, Q8_0: GGML_Q8_0 },
  values: { UINT16: GGUF_UINT16, INT32: GGUF_INT32, STRING: GGUF_STRING },
  u16: (/** @type {number} */ value) => ({ type: GGUF_UINT16, value }),
  i32: (/** @type {number} */ value) => ({ type: GGUF_INT32, value }),
  u32: (/** @type {number} */ value) => ({ type: GGUF_UINT32, value }),
  f32: (/** @type {number} */ value) => ({ type: GGUF_FLOAT32, value }),
  bool: (/** @type {boolean} */ value) => ({ type: GGUF_BOOL, value }),
  str: (/** @type {string} */ value) => ({ type: GGUF_STRING, value }),
  arr: (/** @type {number} */ itemType, /** @type {unknown[]} */ value) => ({ type: GGUF_ARRAY, itemType, value }),
  tensorBytes: (/** @type {TensorSpec} */ t) => tensorBytes(t),
  write: (/** @type {[string, GgufValue][]} */ metadata, /** @type {TensorSpec[]} */ tensors) =>
    writeGguf(metadata, tensors),
  vocab: (/** @type {readonly string[]} */ reply) =>
    buildVocab({
      chains: [{ reply }],
      endAfterReply: false,
      controlTokens: [],
      textTokens: [],
      eotToken: SPECIAL_TOKENS.end,
    }),
  chatTemplate: CHAT_TEMPLATE,
});

/**
 * @typedef {{ type: number, value: unknown, itemType?: number }} GgufValue
 *
 * A tensor to write. `fill` writes its non-zero bytes into a zeroed view; without it the tensor
 * is all zeros.
 * @typedef {{ name: string, dims: number[], type: number, fill?: (view: DataView) => void }}
 *   TensorSpec
 */

const u32 = (/** @type {number} */ value) => ({ type: GGUF_UINT32, value });
const f32 = (/** @type {number} */ value) => ({ type: GGUF_FLOAT32, value });
const bool = (/** @type {boolean} */ value) => ({ type: GGUF_BOOL, value });
const str = (/** @type {string} */ value) => ({ type: GGUF_STRING, value });
const arr = (/** @type {number} */ itemType, /** @type {unknown[]} */ value) => ({
  type: GGUF_ARRAY,
  itemType,
  value,
});

/** Growable little-endian byte buffer for the header. */
class ByteWriter {
  constructor() {
    this.bytes = new Uint8Array(1 << 16);
    this.view = new DataView(this.bytes.buffer);
    this.length = 0;
  }

  /** @param {number} n */
  reserve(n) {
    if (this.length + n <= this.bytes.length) return;
    const bigger = new Uint8Array(Math.max(this.bytes.length * 2, this.length + n));
    bigger.set(this.bytes);
    this.bytes = bigger;
    this.view = new DataView(bigger.buffer);
  }

  /** @param {number} v */
  u32(v) {
    this.reserve(4);
    this.view.setUint32(this.length, v, true);
    this.length += 4;
  }

  /** @param {number} v */
  u16(v) {
    this.reserve(2);
    this.view.setUint16(this.length, v, true);
    this.length += 2;
  }

  /** @param {number} v */
  i32(v) {
    this.reserve(4);
    this.view.setInt32(this.length, v, true);
    this.length += 4;
  }

  /** @param {number} v */
  u64(v) {
    this.reserve(8);
    this.view.setBigUint64(this.length, BigInt(v), true);
    this.length += 8;
  }

  /** @param {number} v */
  f32(v) {
    this.reserve(4);
    this.view.setFloat32(this.length, v, true);
    this.length += 4;
  }

  /** @param {boolean} v */
  bool(v) {
    this.reserve(1);
    this.bytes[this.length++] = v ? 1 : 0;
  }

  /** GGUF string: u64 byte length, then UTF-8 without terminator. @param {string} s */
  string(s) {
    const utf8 = new TextEncoder().encode(s);
    this.u64(utf8.length);
    this.reserve(utf8.length);
    this.bytes.set(utf8, this.length);
    this.length += utf8.length;
  }

  /** @param {number} type @param {unknown} value */
  scalar(type, value) {
    if (type === GGUF_UINT16) this.u16(/** @type {number} */ (value));
    else if (type === GGUF_UINT32) this.u32(/** @type {number} */ (value));
    else if (type === GGUF_INT32) this.i32(/** @type {number} */ (value));
    else if (type === GGUF_FLOAT32) this.f32(/** @type {number} */ (value));
    else if (type === GGUF_BOOL) this.bool(/** @type {boolean} */ (value));
    else if (type === GGUF_STRING) this.string(/** @type {string} */ (value));
    else throw new Error(`unsupported GGUF type ${type}`);
  }

  /** @param {GgufValue} v */
  value(v) {
    this.u32(v.type);
    if (v.type !== GGUF_ARRAY) return this.scalar(v.type, v.value);
    const items = /** @type {unknown[]} */ (v.value);
    this.u32(/** @type {number} */ (v.itemType));
    this.u64(items.length);
    for (const item of items) this.scalar(/** @type {number} */ (v.itemType), item);
  }
}

const alignUp = (/** @type {number} */ n) => Math.ceil(n / ALIGNMENT) * ALIGNMENT;

/** @param {TensorSpec} t */
function tensorBytes(t) {
  const elements = t.dims.reduce((a, b) => a * b, 1);
  const [perBlock, blockBytes] = BLOCK[/** @type {keyof typeof BLOCK} */ (t.type)] ?? [];
  if (perBlock === undefined || blockBytes === undefined || elements % perBlock !== 0) {
    throw new Error(`cannot size tensor ${t.name} of type ${t.type}`);
  }
  return (elements / perBlock) * blockBytes;
}

/**
 * @param {[string, GgufValue][]} metadata
 * @param {TensorSpec[]} tensors
 * @returns {Uint8Array}
 */
function writeGguf(metadata, tensors) {
  const header = new ByteWriter();
  header.u32(0x46554747); // "GGUF" read as a little-endian u32
  header.u32(3); // version
  header.u64(tensors.length);
  header.u64(metadata.length);
  for (const [key, value] of metadata) {
    header.string(key);
    header.value(value);
  }
  /** @type {number[]} */
  const offsets = [];
  let dataSize = 0;
  for (const t of tensors) {
    header.string(t.name);
    header.u32(t.dims.length);
    for (const d of t.dims) header.u64(d);
    header.u32(t.type);
    header.u64(dataSize);
    offsets.push(dataSize);
    dataSize = alignUp(dataSize + tensorBytes(t));
  }

  // One zeroed buffer for the whole file: the zero tensors (nearly all the bytes) cost nothing.
  const dataStart = alignUp(header.length);
  const file = new Uint8Array(dataStart + dataSize);
  file.set(header.bytes.subarray(0, header.length));
  tensors.forEach((t, i) => {
    t.fill?.(new DataView(file.buffer, dataStart + (offsets[i] ?? 0), tensorBytes(t)));
  });
  return file;
}

// ---------------------------------------------------------------------------------------------
// CLI

async function main() {
  const { mkdirSync, writeFileSync } = await import('node:fs');
  const { dirname, resolve } = await import('node:path');
  const { fileURLToPath } = await import('node:url');
  const { parseArgs } = await import('node:util');

  const { values } = parseArgs({
    options: {
      out: { type: 'string', default: fileURLToPath(new URL('.cache/tiny.gguf', import.meta.url)) },
      embd: { type: 'string' },
      layers: { type: 'string' },
      ff: { type: 'string' },
      heads: { type: 'string' },
      'head-dim': { type: 'string' },
    },
  });
  const int = (/** @type {string | undefined} */ v) => (v === undefined ? undefined : Number(v));
  const bytes = makeTinyModel({
    embd: int(values.embd),
    layers: int(values.layers),
    ff: int(values.ff),
    heads: int(values.heads),
    headDim: int(values['head-dim']),
  });
  const out = resolve(values.out);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, bytes);
  console.log(`${out} ${bytes.length} bytes`);
}

const isCli =
  typeof process !== 'undefined' &&
  process.argv?.[1] !== undefined &&
  import.meta.url === (await import('node:url')).pathToFileURL(process.argv[1]).href;
if (isCli) await main();
