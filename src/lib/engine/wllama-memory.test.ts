import { describe, expect, it } from 'vitest';
import { CHAT_MEMORY_SETTINGS, memorySettings } from './wllama-memory';

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

  it("keeps llama.cpp's defaults for embeddings, whose input must fit in one micro-batch", () => {
    expect(memorySettings({ embeddings: true, webGpu: false })).toEqual({});
  });

  it("keeps llama.cpp's defaults on WebGPU, whose flash-attention shaders refuse a quantized cache", () => {
    expect(memorySettings({ embeddings: false, webGpu: true })).toEqual({});
  });

  it('never asks for a quantized V cache without flash attention (llama.cpp refuses that)', () => {
    const settings = CHAT_MEMORY_SETTINGS;
    expect(settings.cache_type_v === undefined || settings.flash_attn === true).toBe(true);
  });
});
