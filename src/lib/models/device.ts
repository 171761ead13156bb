/**
 * What the device offers for running models: the WebGPU adapter's features and limits, and the
 * memory the browser reports. Read once at start-up by DeviceState; the rules that use it live in
 * `fit.ts`.
 */
import type { DeviceDescription } from './fit';

export async function probeDevice(): Promise<DeviceDescription> {
  const deviceMemoryGB = (navigator as Navigator & { deviceMemory?: number }).deviceMemory;
  // `navigator.gpu` is missing without WebGPU (and on insecure origins), whatever the types say.
  const gpu = (navigator as Partial<Pick<Navigator, 'gpu'>>).gpu;
  let adapter: GPUAdapter | null = null;
  try {
    adapter = (await gpu?.requestAdapter()) ?? null;
  } catch (error) {
    console.warn('WebGPU adapter request failed', error);
  }
  return {
    deviceMemoryGB,
    cpuCores: navigator.hardwareConcurrency || undefined,
    webGpu: adapter
      ? {
          shaderF16: adapter.features.has('shader-f16'),
          maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
          maxBufferSize: adapter.limits.maxBufferSize,
          architecture: adapter.info?.architecture,
          vendor: adapter.info?.vendor,
        }
      : undefined,
  };
}
