import { describe, expect, it } from 'vitest';
import { GGUF_CATALOG, MLC_CATALOG } from './testing/shipped-catalog';
import { catalogFacts } from './facts';

describe('catalogFacts', () => {
  const smol = MLC_CATALOG.find((entry) => entry.name === 'SmolLM2 360M Instruct')!;

  it("names the variant the device gets and that variant's memory", () => {
    expect(catalogFacts(smol, 'f16')).toEqual([
      'SmolLM2-360M-Instruct-q4f16_1-MLC',
      'web-llm on WebGPU',
      '0.36B parameters',
      '≈ 205 MB download',
      'needs ≈ 376 MB GPU memory',
      'context 4,096 tokens',
    ]);
    expect(catalogFacts(smol, 'f32')).toContain('needs ≈ 580 MB GPU memory');
  });

  it('counts weights plus working memory for a GGUF model on the CPU', () => {
    const qwen = GGUF_CATALOG.find((entry) => entry.name === 'Qwen2.5 0.5B Instruct')!;
    expect(catalogFacts(qwen)).toEqual([
      'Q4_K_M GGUF',
      'wllama on CPU',
      '0.5B parameters',
      '≈ 491 MB download',
      'needs ≈ 741 MB memory',
      'context 32,768 tokens',
    ]);
  });
});
