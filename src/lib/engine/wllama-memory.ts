/**
 * What a GGUF load allocates beyond the weights, and the llama.cpp settings that shrink it. At a
 * 4,096-token context the KV cache and the compute buffer are the largest part of that (bench,
 * Qwen2.5-0.5B Q4_0: 48 MiB KV in F16, 39.5 MiB compute at 512-token micro-batches, against
 * 330 MiB of weights), and on a phone every MiB counts.
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
 * The KV cache in Q8_0 instead of F16 (25.5 instead of 48 MiB; a Q8_0 V cache needs flash
 * attention, which llama.cpp's CPU path has), and micro-batches of 256 tokens instead of 512
 * (compute buffer 39.5 → 18.9 MiB). Decode speed and the greedy reply's text stayed the same in
 * the bench; a long prompt is read in 256-token steps.
 */
export const CHAT_MEMORY_SETTINGS: MemorySettings = {
  cache_type_k: 'q8_0',
  cache_type_v: 'q8_0',
  flash_attn: true,
  n_batch: 256,
  n_ubatch: 256,
};

/**
 * The settings for one load. The embeddings instance keeps llama.cpp's defaults: an embedding
 * input must fit in one micro-batch, and Documents' passages are up to 1,200 bytes. The WebGPU
 * path keeps them too: its flash-attention shaders refuse a quantized KV cache.
 */
export function memorySettings({ embeddings, webGpu }: { embeddings: boolean; webGpu: boolean }): MemorySettings {
  return embeddings || webGpu ? {} : CHAT_MEMORY_SETTINGS;
}
