import { describe, expect, it } from 'vitest';
import { detectComputeDevice, loadFailureReason } from './wllama-log';

describe('detectComputeDevice', () => {
  it('reports the CPU when llama.cpp kept every buffer there (e.g. WebGPU without shader-f16)', () => {
    const log = [
      'load_tensors: loading model tensors, this can take a while... (load_mode = none)',
      'load_tensors:          CPU model buffer size =     1.12 MiB',
      'llama_kv_cache:        CPU KV buffer size =     0.12 MiB',
    ];
    expect(detectComputeDevice(log)).toBe('cpu');
  });

  it('reports WebGPU when layers were offloaded', () => {
    const log = [
      'load_tensors: offloading 2 repeating layers to GPU',
      'load_tensors: offloaded 3/3 layers to GPU',
      'load_tensors:   CPU_Mapped model buffer size =     0.20 MiB',
      'load_tensors:       WebGPU model buffer size =     1.00 MiB',
    ];
    expect(detectComputeDevice(log)).toBe('webgpu');
  });

  it('does not count "offloaded 0/N layers" as GPU use', () => {
    expect(detectComputeDevice(['load_tensors: offloaded 0/3 layers to GPU'])).toBe('cpu');
  });

  it('falls back to the CPU on an empty log', () => {
    expect(detectComputeDevice([])).toBe('cpu');
  });
});

describe('loadFailureReason', () => {
  it("gives llama.cpp's specific reason when the log has one", () => {
    const log = [
      'llama_model_loader: loaded meta data with 20 key-value pairs',
      "llama_model_load: error loading model: error loading model architecture: unknown model architecture: 'llamx'",
      'llama_model_load_from_file_impl: failed to load model',
      "common_init_: failed to load model 'models/model-00001-of-00001.gguf'",
    ];
    expect(loadFailureReason(log)).toBe("unknown model architecture: 'llamx'");
  });

  it('falls back to the last lines that mention an error', () => {
    expect(loadFailureReason(['ok', 'a failed', 'b error', 'c failed'])).toBe('b error c failed');
    expect(loadFailureReason([])).toBe('');
  });
});
