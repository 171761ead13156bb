import { describe, expect, it } from 'vitest';
import type { MlcCatalogEntry } from './catalog';
import { CATALOG, GGUF_CATALOG, MLC_CATALOG } from './testing/shipped-catalog';
import {
  fitModel,
  ggufOnWebGpu,
  ggufSizeRefusal,
  precisionFor,
  rankCatalog,
  recommend,
  variantFor,
  type DeviceDescription,
} from './fit';

const MB = 1024 * 1024;
/** What Chromium's SwiftShader adapter reports with --enable-unsafe-webgpu (no shader-f16). */
const swiftShader: DeviceDescription = {
  webGpu: {
    shaderF16: false,
    maxStorageBufferBindingSize: 128 * MB,
    maxBufferSize: 256 * MB,
    architecture: 'swiftshader',
    vendor: 'google',
  },
  deviceMemoryGB: 8,
};
/** A discrete GPU with f16 on an 8 GB machine. */
const laptopGpu: DeviceDescription = {
  webGpu: { shaderF16: true, maxStorageBufferBindingSize: 2048 * MB, maxBufferSize: 4096 * MB, vendor: 'nvidia' },
  deviceMemoryGB: 8,
};
/** A hardware GPU without shader-f16 (e.g. older integrated graphics). */
const noF16Gpu: DeviceDescription = {
  webGpu: { shaderF16: false, maxStorageBufferBindingSize: 1024 * MB, maxBufferSize: 2048 * MB, vendor: 'intel' },
  deviceMemoryGB: 4,
};
const noWebGpu: DeviceDescription = { webGpu: undefined, deviceMemoryGB: 4 };
const tinyLimits: DeviceDescription = {
  webGpu: { shaderF16: true, maxStorageBufferBindingSize: 64 * MB, maxBufferSize: 128 * MB },
  deviceMemoryGB: 8,
};

const byName = (name: string) => MLC_CATALOG.find((e) => e.name === name) as MlcCatalogEntry;

describe('catalog', () => {
  it('holds only micro models (≤ ~4B) with an f32 variant each, and f16 where web-llm ships one', () => {
    for (const entry of CATALOG) expect(entry.parametersB).toBeLessThanOrEqual(4);
    for (const entry of MLC_CATALOG) {
      expect(entry.variants.f32.modelId).toMatch(/q4f32_1-MLC$/);
      if (entry.variants.f16) expect(entry.variants.f16.modelId).toMatch(/q4f16_1-MLC$/);
      expect(entry.licence.url).toMatch(/^https:\/\//);
    }
    expect(GGUF_CATALOG.length).toBeGreaterThan(0);
  });
});

describe('precision', () => {
  it('offers f16 only where the adapter has shader-f16', () => {
    expect(precisionFor(laptopGpu)).toBe('f16');
    expect(precisionFor(swiftShader)).toBe('f32');
    expect(precisionFor(noF16Gpu)).toBe('f32');
    expect(variantFor(byName('Qwen3 0.6B'), laptopGpu).modelId).toBe('Qwen3-0.6B-q4f16_1-MLC');
    expect(variantFor(byName('Qwen3 0.6B'), swiftShader).modelId).toBe('Qwen3-0.6B-q4f32_1-MLC');
  });
});

describe('fitModel', () => {
  it('labels MLC models on an emulated adapter "may be slow" and says why', () => {
    const fit = fitModel(byName('SmolLM2 360M Instruct'), swiftShader);
    expect(fit.level).toBe('slow');
    expect(fit.reason).toMatch(/emulated on the CPU/);
    expect(fit.reason).toMatch(/shader-f16/);
    expect(fit.variant?.precision).toBe('f32');
  });

  it('says an MLC model will not fit without WebGPU', () => {
    const fit = fitModel(byName('Qwen3 0.6B'), noWebGpu);
    expect(fit).toMatchObject({ level: 'no' });
    expect(fit.reason).toMatch(/Needs WebGPU/);
  });

  it('refuses models larger than the memory the device reports, naming both sizes', () => {
    const fit = fitModel(byName('Phi-3.5 mini Instruct'), noF16Gpu);
    expect(fit.level).toBe('no');
    expect(fit.reason).toMatch(/5\.5 GB.*4\.0 GB/);
  });

  it('warns when a model leaves little memory for the rest', () => {
    expect(fitModel(byName('Qwen2.5 3B Instruct'), noF16Gpu).level).toBe('slow');
  });

  it('labels a small model on a real GPU with f16 "runs well"', () => {
    expect(fitModel(byName('Llama 3.2 1B Instruct'), laptopGpu)).toMatchObject({ level: 'good' });
  });

  it('refuses MLC where the buffer limits are too small', () => {
    expect(fitModel(byName('SmolLM2 360M Instruct'), tinyLimits).reason).toMatch(/buffer limits/);
  });

  it('labels GGUF models by size on the CPU', () => {
    const small = GGUF_CATALOG.find((e) => e.parametersB < 1)!;
    const large = GGUF_CATALOG.find((e) => e.parametersB > 1)!;
    expect(fitModel(small, noWebGpu).level).toBe('good');
    expect(fitModel(large, noWebGpu).level).toBe('slow');
    expect(fitModel(large, { webGpu: undefined, deviceMemoryGB: 0.5 }).level).toBe('no');
  });

  it('does not guess when the browser hides its memory (deviceMemory undefined)', () => {
    expect(fitModel(byName('Llama 3.2 1B Instruct'), { ...laptopGpu, deviceMemoryGB: undefined }).level).toBe('good');
  });
});

describe('recommend', () => {
  it('picks an MLC model that runs well on a real GPU, and not a slow 3–4B one', () => {
    const pick = recommend(CATALOG, laptopGpu)?.entry;
    expect(pick?.kind).toBe('mlc');
    expect(fitModel(pick!, laptopGpu).level).toBe('good');
    expect(pick!.parametersB).toBeLessThanOrEqual(2);
  });

  it('recommends a GGUF model on the CPU on an emulated adapter (SwiftShader), not a slow MLC one', () => {
    const pick = recommend(CATALOG, { ...swiftShader, cpuCores: 2 })?.entry;
    expect(pick?.kind).toBe('gguf');
    expect(fitModel(pick!, swiftShader).runsOn).toBe('wllama on CPU');
  });

  it('recommends an MLC f32 build on a GPU without shader-f16', () => {
    const pick = recommend(CATALOG, noF16Gpu)?.entry;
    expect(pick?.kind).toBe('mlc');
    expect(fitModel(pick!, noF16Gpu).variant?.precision).toBe('f32');
  });

  it('recommends a GGUF model on the CPU without WebGPU', () => {
    const pick = recommend(CATALOG, noWebGpu)?.entry;
    expect(pick?.kind).toBe('gguf');
    expect(fitModel(pick!, noWebGpu).level).toBe('good');
  });

  it('says why that model: the largest quick one that runs well, else the fastest', () => {
    expect(recommend(CATALOG, noWebGpu)?.why).toBe(
      'The largest model that downloads quickly and is expected to run well on this device.',
    );
    // One CPU thread: every model decodes below the comfortable rate.
    const oneCore = recommend(CATALOG, { ...noWebGpu, cpuCores: 1 });
    expect(oneCore?.entry.name).toBe('SmolLM2 360M Instruct');
    expect(oneCore?.why).toMatch(/^No model is expected to run fast on this device; this is the fastest/);
    expect(recommend(CATALOG, { webGpu: undefined, deviceMemoryGB: 0.25 })).toBeUndefined();
  });

  it('falls back to the CPU engine when no MLC model fits the GPU', () => {
    expect(recommend(CATALOG, tinyLimits)?.entry?.kind).toBe('gguf');
  });
});

const qwen15 = (kind: 'mlc' | 'gguf') => CATALOG.find((e) => e.kind === kind && e.name === 'Qwen2.5 1.5B Instruct')!;

describe('which engine runs a model, and why', () => {
  it('runs GGUF on WebGPU only on a real GPU with shader-f16', () => {
    expect(ggufOnWebGpu(laptopGpu)).toBe(true);
    expect(ggufOnWebGpu(swiftShader)).toBe(false);
    expect(ggufOnWebGpu(noF16Gpu)).toBe(false);
    expect(ggufOnWebGpu(noWebGpu)).toBe(false);
    expect(ggufOnWebGpu(tinyLimits)).toBe(false);
  });

  it('says why a GGUF model runs where it does', () => {
    const gguf = qwen15('gguf');
    expect(fitModel(gguf, laptopGpu)).toMatchObject({ runsOn: 'wllama on WebGPU' });
    expect(fitModel(gguf, swiftShader).engineReason).toMatch(/emulated on the CPU.*faster/);
    expect(fitModel(gguf, noF16Gpu).engineReason).toMatch(/needs shader-f16/);
    expect(fitModel(gguf, { ...noWebGpu, cpuCores: 2 }).engineReason).toBe(
      'This browser offers no WebGPU, so llama.cpp runs on the CPU (2 threads).',
    );
  });

  it('expects web-llm on an emulated adapter to take seconds per token, and says so', () => {
    const fit = fitModel(byName('Qwen2.5 0.5B Instruct'), swiftShader);
    expect(fit.expectedTokensPerSecond).toBeLessThan(1);
    expect(fit.reason).toMatch(/about \d+ s\/token expected here/);
  });

  it('on a GPU with f16 ranks MLC above llama.cpp on WebGPU for the same model', () => {
    const ranked = rankCatalog(CATALOG, laptopGpu).map((r) => r.entry);
    expect(ranked.indexOf(qwen15('mlc'))).toBeLessThan(ranked.indexOf(qwen15('gguf')));
  });

  it('ranks fastest first and what cannot run last', () => {
    const ranked = rankCatalog(CATALOG, noWebGpu);
    const rates = ranked.map((r) => r.fit.expectedTokensPerSecond);
    expect(rates).toEqual([...rates].sort((a, b) => b - a));
    expect(ranked.at(-1)?.fit.level).toBe('no');
    expect(ranked[0]?.entry.kind).toBe('gguf');
  });

  it('labels a GGUF model by the speed expected from the cores at hand', () => {
    const llama1b = CATALOG.find((e) => e.kind === 'gguf' && e.name === 'Llama 3.2 1B Instruct')!;
    expect(fitModel(llama1b, { ...noWebGpu, cpuCores: 8 }).level).toBe('good');
    expect(fitModel(llama1b, { ...noWebGpu, cpuCores: 2 }).level).toBe('slow');
  });
});

describe('ggufSizeRefusal', () => {
  const GB = 1e9;
  it('refuses a single file over 2 GiB and says to use the split model', () => {
    expect(ggufSizeRefusal({ fileBytes: 2.4 * GB, modelBytes: 2.4 * GB }, noWebGpu)).toBe(
      'This file is 2.4 GB; the CPU engine loads files of at most 2.1 GB each. Use the model split into parts (a name ending in -00001-of-0000N.gguf): Nook downloads every part.',
    );
    expect(ggufSizeRefusal({ fileBytes: 1.9 * GB, modelBytes: 1.9 * GB }, { ...noWebGpu, deviceMemoryGB: 8 })).toBe(
      undefined,
    );
  });

  it('refuses a model that cannot fit the 4 GB wasm address space, even split', () => {
    expect(
      ggufSizeRefusal({ fileBytes: 1.8 * GB, modelBytes: 3.6 * GB }, { webGpu: undefined, deviceMemoryGB: undefined }),
    ).toMatch(
      /^This model is 3\.6 GB; with its working memory it needs about 4\.1 GB, more than the 4\.0 GB the CPU engine can address/,
    );
  });

  it("refuses a model larger than the device's reported memory, naming both", () => {
    expect(ggufSizeRefusal({ fileBytes: 1.5 * GB, modelBytes: 1.5 * GB }, { ...noWebGpu, deviceMemoryGB: 1 })).toMatch(
      /needs about 1\.8 GB of memory to run; this device reports 1\.0 GB/,
    );
  });

  it('labels a catalog model whose single file is over the limit as not fitting', () => {
    const huge = { ...GGUF_CATALOG[0]!, files: [{ path: 'x/y.gguf', approxBytes: 2.2 * GB }], overheadMB: 100 };
    expect(fitModel(huge, noWebGpu)).toMatchObject({ level: 'no', reason: expect.stringMatching(/split into parts/) });
  });
});
