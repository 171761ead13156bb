/**
 * Reads llama.cpp's own load log to tell which device really holds the model. wllama asks for
 * WebGPU, but llama.cpp quietly keeps every layer on the CPU when the adapter lacks shader-f16
 * (its WebGPU backend then registers no device at all).
 */
import type { ComputeDevice } from './types';

/** "load_tensors: offloaded 3/3 layers to GPU" says how many layers left the CPU. */
const OFFLOADED = /offloaded (\d+)\/(\d+) layers to GPU/;
/** "load_tensors:   WebGPU model buffer size = …" names each device that holds weights. */
const MODEL_BUFFER = /load_tensors:\s+(\S+) model buffer size/;

export function detectComputeDevice(logLines: readonly string[]): ComputeDevice {
  for (const line of logLines) {
    const offloaded = OFFLOADED.exec(line);
    if (offloaded && Number(offloaded[1]) > 0) return 'webgpu';
    const buffer = MODEL_BUFFER.exec(line);
    if (buffer && !buffer[1]!.startsWith('CPU')) return 'webgpu';
  }
  return 'cpu';
}

/** "llama_model_load: error loading model: <why>" is llama.cpp's own account of a refused file. */
const LOAD_ERROR = /error loading model:\s*(.+)$/i;

/**
 * Why llama.cpp refused a model, in its words, from its load log: the specific reason where it
 * gave one ("unknown model architecture: 'x'"), otherwise the last lines that mention an error.
 */
export function loadFailureReason(logLines: readonly string[]): string {
  for (let i = logLines.length - 1; i >= 0; i--) {
    const reason = LOAD_ERROR.exec(logLines[i]!.trim())?.[1];
    if (reason) return reason.replace(/^error loading model [^:]*:\s*/i, '').trim();
  }
  return logLines
    .filter((line) => /error|failed/i.test(line))
    .slice(-2)
    .map((line) => line.trim())
    .join(' ');
}
