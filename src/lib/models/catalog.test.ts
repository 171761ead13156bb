import { describe, expect, it } from 'vitest';
import { ggufPartUrls, ggufUrl, mlcUrls } from './catalog';
import { MLC_LIB_VERSION } from '../engine/mlc-version';
import { DEFAULT_MODEL_HOST, normaliseMirror } from './hosts';
import { parseModelUrl } from './model-url';
import { GGUF_CATALOG, MLC_CATALOG } from './testing/shipped-catalog';

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

describe('every catalog URL, shaped as its host serves it', () => {
  // Hugging Face serves a repository's file at /<owner>/<repo>/resolve/<revision>/<file>; web-llm
  // adds `resolve/main/<file>` to an MLC model's address itself; the compiled libraries are
  // files in mlc-ai/binary-mlc-llm-libs under the web-llm version they were built for.
  const HF_FILE = /^https:\/\/huggingface\.co\/[A-Za-z0-9][\w.-]*\/[A-Za-z0-9][\w.-]*\/resolve\/main\/[\w.-]+\.gguf$/;
  const HF_MLC_CONFIG = /^https:\/\/huggingface\.co\/mlc-ai\/[\w.-]+\/resolve\/main\/mlc-chat-config\.json$/;
  const MLC_LIB = new RegExp(
    `^https://raw\\.githubusercontent\\.com/mlc-ai/binary-mlc-llm-libs/main/web-llm-models/${MLC_LIB_VERSION}/base/[\\w.-]+-webgpu\\.wasm$`,
  );

  it.each(GGUF_CATALOG.map((entry) => [entry.name, entry] as const))(
    '%s (GGUF): a file the host serves',
    (_, entry) => {
      for (const file of entry.files) {
        const url = ggufUrl(file);
        expect(url).toMatch(HF_FILE);
        // What a download reads it as: the address the user could have typed, every part of it.
        expect(parseModelUrl(url).href).toBe(url);
        expect(ggufPartUrls(new URL(url)).map(String)).toEqual(
          entry.files.length === 1 ? [url] : entry.files.map((part) => ggufUrl(part)),
        );
        // A mirror keeps the host's layout below its own address.
        expect(ggufUrl(file, 'https://mirror.example/hf')).toBe(
          url.replace(DEFAULT_MODEL_HOST, 'https://mirror.example/hf'),
        );
      }
    },
  );

  it.each(MLC_CATALOG.flatMap((entry) => Object.values(entry.variants).map((v) => [v.modelId, v] as const)))(
    '%s (MLC): a model repository and a library the hosts serve',
    (modelId, variant) => {
      const { modelUrl, modelLibUrl } = mlcUrls(variant);
      expect(modelUrl).toBe(`https://huggingface.co/mlc-ai/${modelId}`);
      expect(new URL('resolve/main/mlc-chat-config.json', `${modelUrl}/`).href).toMatch(HF_MLC_CONFIG);
      expect(modelLibUrl).toMatch(MLC_LIB);
      expect(modelLibUrl.endsWith(`/${variant.lib}`)).toBe(true);
      expect(parseModelUrl(modelUrl).href).toBe(modelUrl);
      expect(parseModelUrl(modelLibUrl).href).toBe(modelLibUrl);
    },
  );
});
