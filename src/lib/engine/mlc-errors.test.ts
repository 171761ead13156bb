import { describe, expect, it } from 'vitest';
import { countsFromMlcUsage, describeMlcError, type MlcSource } from './mlc-errors';

const source: MlcSource = {
  backend: 'web-llm',
  id: 'SmolLM2-360M-Instruct-q4f32_1-MLC',
  name: 'SmolLM2 360M Instruct',
  modelUrl: 'http://127.0.0.1:9/mlc-ai/SmolLM2-360M-Instruct-q4f32_1-MLC',
  modelLibUrl: 'http://127.0.0.1:9/web-llm-libs/v0_2_86/x.wasm',
};

const named = (name: string, message: string) => Object.assign(new Error(message), { name });

describe('describeMlcError', () => {
  it('names an unreachable host, also when web-llm wraps the fetch error', () => {
    const error = describeMlcError(
      new Error(
        `Failed to store ${source.modelUrl}/resolve/main/mlc-chat-config.json with error: TypeError: Failed to fetch`,
      ),
      source,
    );
    expect(error.code).toBe('host-unreachable');
    expect(error.message).toMatch(/Could not reach 127\.0\.0\.1:9 to download SmolLM2 360M Instruct/);
  });

  it('tells a lost GPU device, a full disk, missing WebGPU and missing shader-f16 apart', () => {
    expect(describeMlcError(named('DeviceLostError', 'The WebGPU device was lost.'), source).code).toBe('device-lost');
    expect(describeMlcError(new Error('GPUDevice was lost: destroyed'), source).code).toBe('device-lost');
    expect(describeMlcError(new Error('Device was lost during load'), source).code).toBe('device-lost');
    expect(describeMlcError(new DOMException('quota', 'QuotaExceededError'), source).code).toBe('quota-exceeded');
    expect(describeMlcError(named('WebGPUNotAvailableError', 'no gpu'), source).code).toBe('unsupported-browser');
    expect(describeMlcError(named('ShaderF16SupportError', 'f16'), source).message).toMatch(/f32 build/);
  });

  it('keeps anything else as a load failure with web-llm’s own words', () => {
    const error = describeMlcError(new Error('tensor shape mismatch'), source);
    expect(error).toMatchObject({ code: 'model-invalid' });
    expect(error.message).toMatch(/tensor shape mismatch/);
  });

  it('says a model library built for another web-llm must be rebuilt for the one Nook ships', () => {
    const link = named(
      'LinkError',
      'WebAssembly.instantiate(): Import #4 "env" "TVMFFIEnvSetStream": function import requires a callable',
    );
    for (const error of [link, new Error(`Failed to load: ${link.message}`)]) {
      const described = describeMlcError(error, source);
      expect(described.code).toBe('model-invalid');
      expect(described.message).toBe(
        'The model library of SmolLM2 360M Instruct was built for another version of web-llm. Nook ships web-llm 0.2.86: the library must be built for that version (the v0_2_86 libraries).',
      );
    }
  });
});

describe('countsFromMlcUsage', () => {
  const usage = {
    prompt_tokens: 30,
    completion_tokens: 9,
    extra: { decode_tokens_per_s: 0.07, prefill_tokens_per_s: 2.5 },
  };

  it('counts the token chosen at prefill, which web-llm leaves out of completion_tokens', () => {
    expect(countsFromMlcUsage(usage, true)).toEqual({
      promptTokens: 30,
      completionTokens: 10,
      decodeRate: 0.07,
      prefillRate: 2.5,
    });
  });

  it('adds nothing when no token came at all', () => {
    expect(countsFromMlcUsage({ ...usage, completion_tokens: 0 }, false).completionTokens).toBe(0);
  });
});
