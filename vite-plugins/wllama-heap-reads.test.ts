import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { EDITS, wllamaHeapReads, withHeapReads } from './wllama-heap-reads';

const wllamaModule = readFileSync(createRequire(import.meta.url).resolve('@wllama/wllama/esm/index.js'), 'utf8');

/** The worker's source, as wllama embeds it: `var LLAMA_CPP_WORKER_CODE = "…";`. */
function workerSource(module: string): string {
  const literal = /var LLAMA_CPP_WORKER_CODE = ("(?:[^"\\]|\\.)*");/.exec(module)?.[1];
  if (!literal) throw new Error('worker source not found');
  return JSON.parse(literal) as string;
}

describe('wllama-heap-reads (tensors read straight into llama.cpp memory)', () => {
  it('makes every edit in the installed wllama, and both sides still parse', () => {
    const edited = withHeapReads(wllamaModule);
    for (const [, to] of EDITS) expect(edited).toContain(to);

    const worker = workerSource(edited);
    expect(worker).toContain("msg({ verb: 'fs.heap', args: [Module.wasmMemory] })");
    expect(worker).toContain('args: [name, offset, req_size, out_ptr]');
    // A syntax error in the edited worker would only show when a model loads.
    expect(() => new Function(worker)).not.toThrow();
    const proxy = edited.slice(edited.indexOf('var ProxyToWorker = class'), edited.indexOf('// src/wllama.ts'));
    expect(proxy).toContain('blob.readInto(new Uint8Array(this.heap.buffer, outPtr, size), offset)');
  });

  it('fails the build on a wllama whose code does not match, rather than loading without the edits', () => {
    const changed = wllamaModule.replace('args: [name, offset, req_size] }', 'args: [name, offset, req_size, 0] }');
    expect(() => withHeapReads(changed)).toThrow(/wllama-heap-reads: expected wllama's code to contain/);
  });

  it('edits wllama and leaves every other module alone', () => {
    const transform = wllamaHeapReads().transform as (code: string, id: string) => { code: string } | null;
    expect(transform('export const x = 1;', '/app/src/main.ts')).toBeNull();
    expect(transform(wllamaModule, '/app/node_modules/.vite/deps/wllama.js')?.code).toBe(withHeapReads(wllamaModule));
  });
});
