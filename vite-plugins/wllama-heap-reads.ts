import type { Plugin } from 'vite';

/**
 * Lets wllama read a model's tensors straight into llama.cpp's memory, with no copy in between.
 *
 * wllama 3.8 loads a model by asking, for each tensor, for `blob.slice(a, b).arrayBuffer()` in the
 * thread that created it (our engine worker), transferring that buffer to its own worker and
 * copying it into the wasm heap. Every tensor thus passes through a fresh buffer the size of the
 * tensor, and V8 did not collect them while the load ran: at Qwen2.5-0.5B Q4_0 (349 MB) they were
 * ~250 MB of the load's peak.
 *
 * In its multi-threaded build the heap is a shared `WebAssembly.Memory`. With these edits the
 * worker hands that memory to the engine worker once, and names where each read goes; when the
 * file can read into a given view (`readInto`, our `HandleBlob` over an OPFS sync access handle),
 * the engine worker reads the bytes there and answers with their count. Anything else (a plain
 * Blob, the single-threaded or compat build) is read as before.
 *
 * Each edit must match wllama's code exactly once, or the build fails: a new wllama version is
 * then checked by hand before the edits are moved to it.
 */

/** Marks the module these edits apply to, found by its content rather than by its path. */
const MARKER = 'var LLAMA_CPP_WORKER_CODE = ';

/**
 * [what wllama has, what it becomes]. The first three are inside wllama's worker source, a
 * double-quoted string literal: they may not contain a double quote or a line break.
 */
export const EDITS: ReadonlyArray<readonly [string, string]> = [
  // Worker: hand the shared heap to the thread that serves the reads, once the runtime is up.
  [
    'Module.onRuntimeInitialized = () => {',
    "Module.onRuntimeInitialized = () => { if (Module.wasmMemory && Module.wasmMemory.buffer instanceof SharedArrayBuffer) msg({ verb: 'fs.heap', args: [Module.wasmMemory] });",
  ],
  // Worker: say where in the heap the bytes go.
  [
    "postMessage({ verb: 'fs.read_req', args: [name, offset, req_size] });",
    "postMessage({ verb: 'fs.read_req', args: [name, offset, req_size, out_ptr] });",
  ],
  // Worker: a number for an answer means the bytes are in place already.
  [
    'const bytes = new Uint8Array(data);',
    "if (typeof data === 'number') return toSizeT(data); const bytes = new Uint8Array(data);",
  ],
  // Engine worker: keep the heap, and pass the destination on to the read.
  [
    'if (verb === FILE_READ_REQ_EVENT) {\n      const [name, offset, size] = args;\n      this.fileReadResponse(name, offset, size).catch(',
    'if (verb === "fs.heap") {\n      this.heap = args[0];\n      return;\n    }\n    if (verb === FILE_READ_REQ_EVENT) {\n      const [name, offset, size, outPtr] = args;\n      this.fileReadResponse(name, offset, size, outPtr).catch(',
  ],
  // Engine worker: read into the heap when the file can.
  ['fileReadResponse(name, offset, size) {', 'fileReadResponse(name, offset, size, outPtr) {'],
  [
    'const chunk = blob.slice(offset, offset + size);',
    'if (this.heap && typeof outPtr === "number" && typeof blob.readInto === "function") {\n          const read = blob.readInto(new Uint8Array(this.heap.buffer, outPtr, size), offset);\n          this.worker.postMessage({ verb: "fs.read_res", args: [read] });\n          return;\n        }\n        const chunk = blob.slice(offset, offset + size);',
  ],
];

/** wllama's module with the edits made; throws when one does not match exactly once. */
export function withHeapReads(code: string): string {
  let edited = code;
  for (const [from, to] of EDITS) {
    const count = edited.split(from).length - 1;
    if (count !== 1) {
      throw new Error(
        `wllama-heap-reads: expected wllama's code to contain ${JSON.stringify(from.slice(0, 60))}… once, found ${count}. ` +
          'Check the edits against this wllama version (vite-plugins/wllama-heap-reads.ts).',
      );
    }
    edited = edited.replace(from, () => to);
  }
  return edited;
}

export function wllamaHeapReads(): Plugin {
  return {
    name: 'nook-wllama-heap-reads',
    enforce: 'pre',
    transform(code) {
      if (!code.includes(MARKER)) return null;
      return { code: withHeapReads(code), map: null };
    },
  };
}
