/**
 * What a GGUF load allocates beyond the weights, and the llama.cpp settings that shrink it. The KV
 * cache and the compute buffer are the largest part of that, and on a phone every MiB counts
 * (docs/decisions/0011-chat-load-memory-settings.md).
 */

/** wllama load parameters, as @wllama/wllama's LoadModelParams names them. */
export interface MemorySettings {
  cache_type_k?: 'q8_0';
  cache_type_v?: 'q8_0';
  flash_attn?: boolean;
  n_batch?: number;
  n_ubatch?: number;
}

/**
 * The KV cache in Q8_0 (about half of F16; a Q8_0 V cache needs flash attention, which llama.cpp's
 * CPU path has), and micro-batches of 256 tokens, half the compute buffer of llama.cpp's 512, at
 * the same decode speed and replies; a long prompt is read in 256-token steps. See
 * docs/decisions/0011-chat-load-memory-settings.md.
 */
export const CHAT_MEMORY_SETTINGS: MemorySettings = {
  cache_type_k: 'q8_0',
  cache_type_v: 'q8_0',
  flash_attn: true,
  n_batch: 256,
  n_ubatch: 256,
};

/**
 * With embeddings on, llama.cpp computes the logits of every token of a micro-batch (for mean
 * pooling every token is an output), so its compute buffer holds vocabulary × micro-batch floats,
 * and at its first decode of a full batch it sets as much aside again for their output. The
 * micro-batch is sized so those logits stay within this budget (twice over); a tab short of
 * memory tries smaller ones (`smallerEmbeddingBatch`). See docs/decisions/0013-embedding-micro-batch.md.
 */
const EMBEDDING_LOGITS_BUDGET = 128 * 1024 * 1024;
/** llama.cpp's default micro-batch; a smaller vocabulary gets no more. */
const MAX_EMBEDDING_BATCH = 512;
const MIN_EMBEDDING_BATCH = 64;

/**
 * Tokens per micro-batch with embeddings on, for a vocabulary of `vocabSize` tokens: a multiple
 * of 32 from 64 to 512 (Qwen: 192, Llama 3: 256, Gemma 3: 128, 32k-token vocabularies: 512). An
 * embedding input must fit in one, so a longer text is embedded in pieces (embedding-pieces.ts).
 */
export function embeddingBatch(vocabSize: number): number {
  const fits = Math.floor(EMBEDDING_LOGITS_BUDGET / (Math.max(1, vocabSize) * 4));
  return Math.max(MIN_EMBEDDING_BATCH, Math.min(MAX_EMBEDDING_BATCH, fits - (fits % 32)));
}

/**
 * The micro-batch to try after a tab had no memory for embeddings with `batch`: half of it (the
 * logits take half the memory), a multiple of 32, no fewer than 64; undefined below that. Longer
 * texts are then embedded in more pieces.
 */
export function smallerEmbeddingBatch(batch: number): number | undefined {
  if (batch <= MIN_EMBEDDING_BATCH) return undefined;
  const half = Math.floor(batch / 2);
  return Math.max(MIN_EMBEDDING_BATCH, half - (half % 32));
}

/**
 * The settings for one load. With embeddings on, the micro-batch is `batch` when given (a retry
 * with less memory), else sized for the vocabulary (`vocabSize`, known from the chat load before
 * it; llama.cpp's default when unknown). The WebGPU path keeps llama.cpp's KV cache and
 * attention: its flash-attention shaders refuse a quantized KV cache.
 */
export function memorySettings({
  embeddings,
  webGpu,
  vocabSize,
  batch,
}: {
  embeddings: boolean;
  webGpu: boolean;
  vocabSize?: number | undefined;
  batch?: number | undefined;
}): MemorySettings {
  const settings: MemorySettings = webGpu ? {} : { ...CHAT_MEMORY_SETTINGS };
  if (!embeddings) return settings;
  const size = batch ?? (vocabSize === undefined ? MAX_EMBEDDING_BATCH : embeddingBatch(vocabSize));
  return { ...settings, n_batch: size, n_ubatch: size };
}
