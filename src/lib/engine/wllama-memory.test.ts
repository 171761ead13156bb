import { describe, expect, it } from 'vitest';
import { CHAT_MEMORY_SETTINGS, embeddingBatch, memorySettings, smallerEmbeddingBatch } from './wllama-memory';

describe('memorySettings', () => {
  it('loads a chat model on the CPU with a Q8_0 KV cache, flash attention and 256-token micro-batches', () => {
    expect(memorySettings({ embeddings: false, webGpu: false })).toEqual({
      cache_type_k: 'q8_0',
      cache_type_v: 'q8_0',
      flash_attn: true,
      n_batch: 256,
      n_ubatch: 256,
    });
  });

  it('loads for embeddings with the same KV cache and a micro-batch sized for the vocabulary', () => {
    expect(memorySettings({ embeddings: true, webGpu: false, vocabSize: 151_936 })).toEqual({
      cache_type_k: 'q8_0',
      cache_type_v: 'q8_0',
      flash_attn: true,
      n_batch: 192,
      n_ubatch: 192,
    });
  });

  it("keeps llama.cpp's 512-token micro-batch for embeddings when the vocabulary is not known", () => {
    expect(memorySettings({ embeddings: true, webGpu: false })).toMatchObject({ n_batch: 512, n_ubatch: 512 });
  });

  it('takes a smaller micro-batch when a retry asks for one', () => {
    expect(memorySettings({ embeddings: true, webGpu: false, vocabSize: 151_936, batch: 96 })).toMatchObject({
      n_batch: 96,
      n_ubatch: 96,
    });
  });

  it("keeps llama.cpp's KV cache on WebGPU, whose flash-attention shaders refuse a quantized one", () => {
    expect(memorySettings({ embeddings: false, webGpu: true })).toEqual({});
    expect(memorySettings({ embeddings: true, webGpu: true, vocabSize: 151_936 })).toEqual({
      n_batch: 192,
      n_ubatch: 192,
    });
  });

  it('never asks for a quantized V cache without flash attention (llama.cpp refuses that)', () => {
    const settings = CHAT_MEMORY_SETTINGS;
    expect(settings.cache_type_v === undefined || settings.flash_attn === true).toBe(true);
  });
});

describe('embeddingBatch (every token of a micro-batch gets its logits with embeddings on)', () => {
  it('keeps those logits within 128 MiB for the vocabularies of models people run', () => {
    for (const vocabSize of [151_936, 128_256, 262_144, 49_152, 32_000]) {
      const batch = embeddingBatch(vocabSize);
      expect(batch * vocabSize * 4).toBeLessThanOrEqual(128 * 1024 * 1024);
      expect(batch % 32).toBe(0);
    }
    expect(embeddingBatch(151_936)).toBe(192); // Qwen 2.5: 302.5 MiB of compute buffer at 512
    expect(embeddingBatch(128_256)).toBe(256); // Llama 3
    expect(embeddingBatch(262_144)).toBe(128); // Gemma 3
  });

  it("gives a small vocabulary llama.cpp's default 512 and a huge one no fewer than 64", () => {
    expect(embeddingBatch(32_000)).toBe(512);
    expect(embeddingBatch(2_000_000)).toBe(64);
  });
});

describe('smallerEmbeddingBatch (a tab short of memory for embeddings tries again with less)', () => {
  it('halves the micro-batch in multiples of 32 down to 64, then gives up', () => {
    const tried: number[] = [];
    for (
      let batch: number | undefined = embeddingBatch(151_936);
      batch !== undefined;
      batch = smallerEmbeddingBatch(batch)
    ) {
      tried.push(batch);
    }
    expect(tried).toEqual([192, 96, 64]);
    expect(smallerEmbeddingBatch(512)).toBe(256);
    expect(smallerEmbeddingBatch(128)).toBe(64);
    expect(smallerEmbeddingBatch(64)).toBeUndefined();
  });
});
