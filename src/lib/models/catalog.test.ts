import { describe, expect, it } from 'vitest';
import { ggufPartUrls, ggufUrl, MLC_CATALOG, mlcUrls } from './catalog';
import { normaliseMirror } from './hosts';

const qwen = MLC_CATALOG.find((e) => e.name === 'Qwen3 0.6B')!.variants.f32;

describe('model URLs and the mirror', () => {
  it('uses the default hosts without a mirror', () => {
    expect(mlcUrls(qwen)).toEqual({
      modelUrl: 'https://huggingface.co/mlc-ai/Qwen3-0.6B-q4f32_1-MLC',
      modelLibUrl:
        'https://raw.githubusercontent.com/mlc-ai/binary-mlc-llm-libs/main/web-llm-models/v0_2_86/base/Qwen3-0.6B-q4f32_1_cs1k-webgpu.wasm',
    });
  });

  it('replaces every host by the mirror, keeping the documented layout', () => {
    expect(mlcUrls(qwen, 'http://mirror.local/models/')).toEqual({
      modelUrl: 'http://mirror.local/models/mlc-ai/Qwen3-0.6B-q4f32_1-MLC',
      modelLibUrl: 'http://mirror.local/models/web-llm-libs/v0_2_86/Qwen3-0.6B-q4f32_1_cs1k-webgpu.wasm',
    });
    expect(ggufUrl({ path: 'Qwen/x-GGUF/resolve/main/x.gguf', approxBytes: 1 }, 'http://m.local')).toBe(
      'http://m.local/Qwen/x-GGUF/resolve/main/x.gguf',
    );
  });

  it('rejects a mirror that is not an http(s) URL, and treats blank as none', () => {
    expect(normaliseMirror('  ')).toBeUndefined();
    expect(() => normaliseMirror('ftp://x')).toThrow();
    expect(() => normaliseMirror('not a url')).toThrow();
  });
});

describe('ggufPartUrls', () => {
  it('expands a split model from any of its parts', () => {
    const parts = ggufPartUrls(new URL('https://h/m/model-q4-00002-of-00003.gguf'));
    expect(parts.map((u) => u.pathname)).toEqual([
      '/m/model-q4-00001-of-00003.gguf',
      '/m/model-q4-00002-of-00003.gguf',
      '/m/model-q4-00003-of-00003.gguf',
    ]);
  });

  it('leaves a single file alone', () => {
    expect(ggufPartUrls(new URL('https://h/m/model.gguf')).map(String)).toEqual(['https://h/m/model.gguf']);
  });
});
