import { describe, expect, it } from 'vitest';
import {
  embeddingDecodeFailed,
  embeddingInputTooLong,
  embeddingsOutOfMemoryError,
  memoryShortfall,
  outOfMemoryError,
} from './llama-errors';

// llama.cpp's own lines (wllama 3.8.1), as logged by a load that ran out of WebAssembly memory.
const WEIGHTS_LOG = [
  'llama_model_loader: - type q4_0:  168 tensors',
  'ggml_aligned_malloc: insufficient memory (attempted to allocate 330.17 MB)',
  'ggml_backend_cpu_buffer_type_alloc_buffer: failed to allocate buffer of size 346206720',
  'ggml_backend_buft_alloc_buffer_n_default: failed to allocate CPU buffer of size 346206720',
  'llama_model_load: error loading model: unable to allocate CPU buffer',
  'llama_model_load_from_file_impl: failed to load model',
];

describe('memoryShortfall (a load that found no memory, from what llama.cpp and the browser said)', () => {
  it("reads the weights' buffer and its exact size", () => {
    expect(memoryShortfall(WEIGHTS_LOG)).toEqual({ part: 'weights', bytes: 346_206_720 });
  });

  it('reads the context window (KV cache) and the working buffers', () => {
    expect(
      memoryShortfall([
        'ggml_backend_cpu_buffer_type_alloc_buffer: failed to allocate buffer of size 26738688',
        'llama_init_from_model: failed to initialize the context: failed to allocate buffer for kv cache',
      ]),
    ).toEqual({ part: 'context', bytes: 26_738_688 });
    expect(memoryShortfall(['llama_init_from_model: failed to allocate compute pp buffers'])).toEqual({
      part: 'working',
      bytes: undefined,
    });
  });

  it("reads a decode's failure to set aside its logits as a shortfall of working buffers", () => {
    // What llama.cpp logged when an embedding's batch found no memory for its output buffer.
    expect(
      memoryShortfall([
        'ggml_aligned_malloc: insufficient memory (attempted to allocate  28.42 MB)',
        'ggml_backend_cpu_buffer_type_alloc_buffer: failed to allocate buffer of size 29804544',
        'output_reserve: failed to allocate output buffer of size 28.42 MiB',
        'decode: could not reserve space for batch with 49 outputs',
        'Compute error.',
      ]),
    ).toEqual({ part: 'working', bytes: 29_804_544 });
  });

  it('falls back on the size llama.cpp attempted, and takes the browser refusing WebAssembly memory', () => {
    // ggml prints the size as %6.2f: padded with spaces below 100 MB.
    expect(memoryShortfall(['ggml_aligned_malloc: insufficient memory (attempted to allocate   2.00 MB)'])).toEqual({
      part: undefined,
      bytes: 2_097_152,
    });
    // What a tab short of memory logged while loading a model's tensors, before llama.cpp aborted.
    expect(
      memoryShortfall([
        'ggml_aligned_malloc: insufficient memory (attempted to allocate  19.73 MB)',
        'RuntimeError: unreachable',
        '(ABORT)',
      ]),
    ).toEqual({ part: undefined, bytes: Math.round(19.73 * 1024 * 1024) });
    expect(memoryShortfall(['RangeError: WebAssembly.Memory(): could not allocate memory'])).toEqual({
      part: undefined,
      bytes: undefined,
    });
    expect(memoryShortfall(['Out of memory'])).toBeDefined();
    expect(memoryShortfall(['Aborted(Cannot enlarge memory arrays to size 4294967296 bytes (OOM).)'])).toBeDefined();
  });

  it('is undefined for any other failure, so a bad file is still told as one', () => {
    expect(memoryShortfall(["llama_model_load: error loading model: unknown model architecture: 'x'"])).toBeUndefined();
    expect(memoryShortfall(['gguf_init_from_file_impl: invalid magic characters'])).toBeUndefined();
    expect(memoryShortfall([])).toBeUndefined();
  });
});

describe('outOfMemoryError', () => {
  it('says what was short and what to do, and that the model stays stored', () => {
    const error = outOfMemoryError('Qwen2.5 0.5B', { part: 'weights', bytes: 346_206_720 });
    expect(error.code).toBe('out-of-memory');
    expect(error.message).toBe(
      'Qwen2.5 0.5B needs more memory than this browser tab could get: llama.cpp could not set aside 346 MB for its weights. Close other tabs and apps, then load it again, or use a smaller model. The model stays stored.',
    );
    expect(outOfMemoryError('M', { part: undefined, bytes: undefined }).message).toMatch(
      /^M needs more memory than this browser tab could get\. Close other tabs/,
    );
    expect(outOfMemoryError('M', { part: 'context', bytes: undefined }).message).toContain(
      'could not set aside memory for its context window (the KV cache)',
    );
  });
});

describe('embeddingInputTooLong', () => {
  it("reads the input's tokens and the micro-batch from llama.cpp's refusal", () => {
    expect(
      embeddingInputTooLong(
        'input (1024 tokens) is too large to process. increase the physical batch size (current batch size: 512)',
      ),
    ).toEqual({ tokens: 1024, batch: 512 });
  });

  it('is undefined for any other failure', () => {
    expect(embeddingInputTooLong('request (5000 tokens) exceeds the available context size (4096 tokens)')).toBe(
      undefined,
    );
  });
});

describe('embeddingsOutOfMemoryError', () => {
  it('says meaning search is what lacks memory, how much, and what to do', () => {
    const error = embeddingsOutOfMemoryError('Qwen2.5 0.5B', { part: 'working', bytes: 60_817_408 });
    expect(error.code).toBe('out-of-memory');
    expect(error.message).toBe(
      'This tab has no memory to search by meaning with Qwen2.5 0.5B (llama.cpp could not set aside 61 MB for its working buffers). To search by meaning, close other tabs and apps and try again, or use a smaller model.',
    );
    expect(embeddingsOutOfMemoryError('M', { part: undefined, bytes: undefined }).message).toMatch(
      /^This tab has no memory to search by meaning with M\. /,
    );
  });
});

describe('embeddingDecodeFailed', () => {
  it("takes llama.cpp's bare 'Compute error.' and memory refusals, not other failures", () => {
    expect(embeddingDecodeFailed('Compute error.')).toBe(true);
    expect(embeddingDecodeFailed('RangeError: WebAssembly.Memory(): could not allocate memory')).toBe(true);
    expect(embeddingDecodeFailed('llama.cpp gave no embedding.')).toBe(false);
    expect(embeddingDecodeFailed('input (600 tokens) is too large to process. increase the physical batch size')).toBe(
      false,
    );
  });
});
