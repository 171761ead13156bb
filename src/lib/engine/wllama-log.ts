/**
 * Reads llama.cpp's own load log to tell which device really holds the model. wllama asks for
 * WebGPU but llama.cpp quietly keeps every layer on the CPU when the adapter lacks shader-f16.
 */
import type { ComputeDevice } from './types';

/** "load_tensors: offloaded 3/3 layers to GPU" names how many layers left the CPU. */
const OFFLOADED = /offloaded (\d+)\/(\d+) layers to GPU/;

export function detectComputeDevice(logLines: readonly string[]): ComputeDevice {
  for (const line of logLines) {
    const match = OFFLOADED.exec(line);
    if (match && Number(match[1]) > 0) return 'webgpu';
  }
  return 'cpu';
}
