// Writes random-weight GGUF models with a real architecture's shape and size (Qwen2.5 0.5B and
// 1.5B), in Q8_0 or Q4_0 with real block layouts, optionally split into parts the way
// llama.cpp's gguf-split does. The bench times downloads, loads, memory and decoding with them:
// speed and memory depend on shapes and types, not on values, so random weights will do. The
// files are hundreds of MB, so they are written at bench time under the system temp folder and
// deleted afterwards, never committed.
//
// Block layouts (ggml-common.h): Q8_0 is 32 weights as { f16 scale d; int8 q[32] } (34 bytes),
// Q4_0 is { f16 scale d; uint8 q[16] } holding 32 nibbles, weight = (nibble - 8) * d (18 bytes).
// The quants are random; each block's scale is a small finite f16, so no weight is NaN or huge.
// Token embeddings stay Q8_0 in a Q4_0 model, as llama.cpp's quantizer keeps a tied output matrix
// at higher precision: that is what makes Qwen2.5 0.5B's Q4_0 file ~350 MB rather than ~280.
//
// Module: import { REAL_SHAPES, writeRealModel, realModelBytes } from './make-real-model.mjs'.
// CLI:    node test-support/make-real-model.mjs --shape qwen2.5-0.5b --quant q8_0 --out DIR [--parts 3]
import { randomFillSync } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gguf, REPLY_TOKENS } from './make-tiny-model.mjs';

/** Hyper-parameters of the real models (their config.json); both tie the output to the embeddings. */
export const REAL_SHAPES = Object.freeze({
  'qwen2.5-0.5b': { name: 'Qwen2.5 0.5B', embd: 896, layers: 24, ff: 4864, heads: 14, kvHeads: 2, vocab: 151936 },
  'qwen2.5-1.5b': { name: 'Qwen2.5 1.5B', embd: 1536, layers: 28, ff: 8960, heads: 12, kvHeads: 2, vocab: 151936 },
});

const CONTEXT_LENGTH = 32768;
const { types } = gguf;
/** llama_ftype: LLAMA_FTYPE_MOSTLY_Q4_0 = 2, LLAMA_FTYPE_MOSTLY_Q8_0 = 7. */
const FILE_TYPE = { q4_0: 2, q8_0: 7 };
/** Each block's scale, as f16 bits: ~0.002 for Q8_0 (|w| ≤ 0.26), ~0.016 for Q4_0 (|w| ≤ 0.13). */
const SCALE = { [types.Q8_0]: 0x1818, [types.Q4_0]: 0x2418 };

/**
 * @typedef {keyof typeof REAL_SHAPES} ShapeName
 * @typedef {(typeof REAL_SHAPES)[ShapeName]} Shape
 * @typedef {'q8_0' | 'q4_0'} Quant
 * @typedef {import('./make-tiny-model.mjs').gguf} Gguf
 */

/** Random quants with a fixed finite scale at the start of every block. @param {number} type */
const quantFill = (type) => (/** @type {DataView} */ view) => {
  const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
  randomFillSync(bytes);
  const blockBytes = type === types.Q8_0 ? 34 : 18;
  const scale = SCALE[type] ?? 0;
  for (let at = 0; at < bytes.length; at += blockBytes) view.setUint16(at, scale, true);
};

/** @param {DataView} view */
const onesFill = (view) => {
  for (let i = 0; i < view.byteLength; i += 4) view.setFloat32(i, 1, true);
};

/**
 * llama.cpp's LLM_ARCH_QWEN2 tensors, in ggml order (ne0 first).
 * @param {Shape} shape @param {Quant} quant
 */
function qwen2Tensors(shape, quant) {
  const { embd, ff } = shape;
  const q = shape.heads * (embd / shape.heads);
  const kv = shape.kvHeads * (embd / shape.heads);
  const weightType = quant === 'q8_0' ? types.Q8_0 : types.Q4_0;
  const weight = (/** @type {string} */ name, /** @type {number[]} */ dims, type = weightType) => ({
    name,
    dims,
    type,
    fill: quantFill(type),
  });
  const norm = (/** @type {string} */ name, size = embd) => ({ name, dims: [size], type: types.F32, fill: onesFill });
  const bias = (/** @type {string} */ name, size = embd) => ({ name, dims: [size], type: types.F32 });
  const tensors = [weight('token_embd.weight', [embd, shape.vocab], types.Q8_0)];
  for (let l = 0; l < shape.layers; l++) {
    const blk = `blk.${l}`;
    tensors.push(
      norm(`${blk}.attn_norm.weight`),
      weight(`${blk}.attn_q.weight`, [embd, q]),
      bias(`${blk}.attn_q.bias`, q),
      weight(`${blk}.attn_k.weight`, [embd, kv]),
      bias(`${blk}.attn_k.bias`, kv),
      weight(`${blk}.attn_v.weight`, [embd, kv]),
      bias(`${blk}.attn_v.bias`, kv),
      weight(`${blk}.attn_output.weight`, [q, embd]),
      norm(`${blk}.ffn_norm.weight`),
      weight(`${blk}.ffn_gate.weight`, [embd, ff]),
      weight(`${blk}.ffn_up.weight`, [embd, ff]),
      weight(`${blk}.ffn_down.weight`, [ff, embd]),
    );
  }
  tensors.push(norm('output_norm.weight'));
  return tensors;
}

/**
 * The tiny model's byte-level BPE vocabulary (so chat templates and the reply words tokenize as
 * usual), padded with plain filler tokens up to the real vocabulary size: the embedding and
 * output matrices get their real size, which dominates a small model's bytes and decode time.
 * @param {number} size
 */
function paddedVocab(size) {
  const vocab = gguf.vocab(REPLY_TOKENS);
  const tokens = [...vocab.tokens];
  const kinds = [...vocab.types];
  for (let i = 0; tokens.length < size; i++) {
    tokens.push(`w${i}`);
    kinds.push(1);
  }
  return { ...vocab, tokens, types: kinds };
}

/** @param {Shape} shape @param {Quant} quant @param {string} name */
function qwen2Metadata(shape, quant, name) {
  const vocab = paddedVocab(shape.vocab);
  const { str, u32, f32, bool, arr, values } = gguf;
  /** @type {[string, import('./make-tiny-model.mjs').GgufValue][]} */
  const metadata = [
    ['general.architecture', str('qwen2')],
    ['general.name', str(name)],
    ['general.alignment', u32(32)],
    ['general.file_type', u32(FILE_TYPE[quant])],
    ['qwen2.context_length', u32(CONTEXT_LENGTH)],
    ['qwen2.embedding_length', u32(shape.embd)],
    ['qwen2.block_count', u32(shape.layers)],
    ['qwen2.feed_forward_length', u32(shape.ff)],
    ['qwen2.attention.head_count', u32(shape.heads)],
    ['qwen2.attention.head_count_kv', u32(shape.kvHeads)],
    ['qwen2.rope.freq_base', f32(1_000_000)],
    ['qwen2.attention.layer_norm_rms_epsilon', f32(1e-6)],
    ['tokenizer.ggml.model', str('gpt2')],
    ['tokenizer.ggml.pre', str('qwen2')],
    ['tokenizer.ggml.tokens', arr(values.STRING, vocab.tokens)],
    ['tokenizer.ggml.token_type', arr(values.INT32, vocab.types)],
    ['tokenizer.ggml.merges', arr(values.STRING, vocab.merges)],
    ['tokenizer.ggml.bos_token_id', u32(vocab.special.bos)],
    ['tokenizer.ggml.eos_token_id', u32(vocab.special.eos)],
    ['tokenizer.ggml.eot_token_id', u32(vocab.special.end)],
    ['tokenizer.ggml.add_bos_token', bool(false)],
    ['tokenizer.chat_template', str(gguf.chatTemplate)],
  ];
  return metadata;
}

/**
 * Writes one model into `dir`: one file, or `parts` files named `<base>-0000i-of-0000N.gguf` as
 * gguf-split names them (the first holds all metadata; every part says which it is).
 * @param {{ shape: ShapeName, quant: Quant, dir: string, parts?: number, name?: string }} options
 * @returns {Promise<{ files: { path: string, bytes: number }[], bytes: number, name: string }>}
 */
export async function writeRealModel({ shape: shapeName, quant, dir, parts = 1, name }) {
  const shape = REAL_SHAPES[shapeName];
  if (!shape) throw new Error(`unknown shape ${shapeName}`);
  const title = name ?? `${shape.name} random ${quant.toUpperCase()}${parts > 1 ? ` in ${parts} parts` : ''}`;
  const base = `${shapeName}-random-${quant}`;
  const tensors = qwen2Tensors(shape, quant);
  const metadata = qwen2Metadata(shape, quant, title);
  await mkdir(dir, { recursive: true });
  /** @type {{ path: string, bytes: number }[]} */
  const files = [];
  if (parts === 1) {
    const path = join(dir, `${base}.gguf`);
    const bytes = gguf.write(metadata, tensors);
    await writeFile(path, bytes);
    files.push({ path, bytes: bytes.length });
  } else {
    // Parts of about equal size, tensors kept in order.
    const total = tensors.reduce((sum, t) => sum + gguf.tensorBytes(t), 0);
    /** @type {(typeof tensors)[]} */
    const groups = [[]];
    let inGroup = 0;
    for (const tensor of tensors) {
      if (inGroup >= total / parts && groups.length < parts) {
        groups.push([]);
        inGroup = 0;
      }
      groups.at(-1)?.push(tensor);
      inGroup += gguf.tensorBytes(tensor);
    }
    for (const [index, group] of groups.entries()) {
      const split = [
        ['split.no', gguf.u16(index)],
        ['split.count', gguf.u16(groups.length)],
        ['split.tensors.count', gguf.i32(tensors.length)],
      ];
      const meta = /** @type {typeof metadata} */ (index === 0 ? [...metadata, ...split] : split);
      const n = (/** @type {number} */ i) => String(i).padStart(5, '0');
      const path = join(dir, `${base}-${n(index + 1)}-of-${n(groups.length)}.gguf`);
      const bytes = gguf.write(meta, group);
      await writeFile(path, bytes);
      files.push({ path, bytes: bytes.length });
    }
  }
  return { files, bytes: files.reduce((sum, f) => sum + f.bytes, 0), name: title };
}

/**
 * One file of a model in any Qwen2 shape, in memory: the e2e model server serves small shapes
 * with a real vocabulary this way (a vocabulary's logits are what an embeddings load spends
 * its memory on).
 * @param {{ shape: Shape, quant: Quant, name: string }} options
 * @returns {Uint8Array}
 */
export function realModelBytes({ shape, quant, name }) {
  return gguf.write(qwen2Metadata(shape, quant, name), qwen2Tensors(shape, quant));
}

async function main() {
  const { parseArgs } = await import('node:util');
  const { values } = parseArgs({
    options: {
      shape: { type: 'string', default: 'qwen2.5-0.5b' },
      quant: { type: 'string', default: 'q8_0' },
      out: { type: 'string', default: '.' },
      parts: { type: 'string', default: '1' },
    },
  });
  const quant = values.quant === 'q4_0' ? 'q4_0' : values.quant === 'q8_0' ? 'q8_0' : undefined;
  if (!quant) throw new Error('--quant must be q8_0 or q4_0');
  const model = await writeRealModel({
    shape: /** @type {ShapeName} */ (values.shape),
    quant,
    dir: values.out,
    parts: Number(values.parts),
  });
  for (const file of model.files) console.log(`${file.path} ${file.bytes} bytes`);
}

const isCli =
  process.argv[1] !== undefined && import.meta.url === (await import('node:url')).pathToFileURL(process.argv[1]).href;
if (isCli) await main();
