import { describe, expect, it } from 'vitest';
import { MLC_CATALOG } from './testing/shipped-catalog';
import type { DeviceDescription } from './fit';
import { catalogMlcTarget, customMlcTarget } from './mlc-target';

const MB = 1024 * 1024;
const gpuWithF16: DeviceDescription = {
  webGpu: { shaderF16: true, maxStorageBufferBindingSize: 2048 * MB, maxBufferSize: 4096 * MB, vendor: 'nvidia' },
  deviceMemoryGB: 8,
};
const noWebGpu: DeviceDescription = { webGpu: undefined, deviceMemoryGB: 4 };
const entry = MLC_CATALOG[0]!;

describe('which MLC model to fetch', () => {
  it('takes the variant this device runs, through the mirror, with its size and window', () => {
    const choice = catalogMlcTarget(entry, gpuWithF16, 'http://127.0.0.1:9000/models');
    const variant = entry.variants.f16 ?? entry.variants.f32;
    expect(choice).toEqual({
      ok: true,
      target: expect.objectContaining({
        id: variant.modelId,
        name: entry.name,
        label: `${entry.name} (${variant.precision})`,
        modelUrl: `http://127.0.0.1:9000/models/${variant.repo}`,
        vramRequiredMB: variant.vramRequiredMB,
        contextWindow: entry.contextWindow,
        estimatedBytes: variant.downloadMB * 1_000_000,
      }),
    });
  });

  it('says why a catalog model cannot run here, by name, instead of fetching it', () => {
    const choice = catalogMlcTarget(entry, noWebGpu);
    expect(choice.ok).toBe(false);
    if (!choice.ok) expect(choice.reason).toMatch(new RegExp(`^${entry.name} cannot run here: `));
  });

  it('a custom model needs two usable addresses and WebGPU', () => {
    const weights = 'https://huggingface.co/mlc-ai/Tiny-q4f32_1-MLC';
    const library = 'https://example.org/libs/Tiny-q4f32_1-webgpu.wasm';
    const good = customMlcTarget(` ${weights} `, library, gpuWithF16);
    expect(good).toMatchObject({ ok: true, target: { modelUrl: weights, modelLibUrl: library } });
    expect(customMlcTarget(weights, library, noWebGpu)).toEqual({
      ok: false,
      reason: 'MLC models need WebGPU, which this browser does not offer. Use a GGUF model instead.',
    });
    const bad = customMlcTarget('not an address', library, gpuWithF16);
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.reason.length).toBeGreaterThan(10);
  });
});
