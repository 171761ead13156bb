import { describe, expect, it } from 'vitest';
import { makeTinyModel } from '../../../test-support/make-tiny-model.mjs';
import { blobByteSource, GgufError, hasGgufMagic, readGgufHeader, summarizeGguf } from './gguf';

const model = makeTinyModel();
const source = (bytes: Uint8Array) => blobByteSource(new Blob([bytes as BlobPart]));

describe('readGgufHeader', () => {
  it('reads the metadata and the exact size of a complete file', async () => {
    const header = await readGgufHeader(source(model));
    expect(header.version).toBe(3);
    expect(header.expectedSize).toBe(model.length);
    expect(summarizeGguf(header)).toEqual({
      architecture: 'llama',
      name: 'Nook Tiny Test',
      contextLength: 256,
      hasChatTemplate: true,
    });
  });

  it('can step over arrays (the vocabulary) and still find the same size and facts', async () => {
    // At most 4 KB per read, so the skipped strings cross the reader's buffer again and again.
    const stingy = (bytes: Uint8Array) => async (offset: number, length: number) =>
      bytes.slice(offset, offset + Math.min(length, 4096));
    const full = await readGgufHeader(source(model));
    const skipped = await readGgufHeader(stingy(model), { skipArrays: true });
    expect(skipped.expectedSize).toBe(full.expectedSize);
    expect(skipped.tensorCount).toBe(full.tensorCount);
    expect(summarizeGguf(skipped)).toEqual(summarizeGguf(full));
    expect((full.metadata.get('tokenizer.ggml.tokens') as string[]).length).toBeGreaterThan(10);
    expect(skipped.metadata.get('tokenizer.ggml.tokens')).toEqual([]);

    // A file cut inside the vocabulary is still refused as cut short.
    const tokensAt = Buffer.from(model).indexOf('tokenizer.ggml.tokens');
    const cut = model.subarray(0, tokensAt + 200);
    const error = await readGgufHeader(stingy(cut), { skipArrays: true }).catch((e: unknown) => e);
    expect((error as GgufError).kind).toBe('truncated');
  });

  it('sees that a file cut inside its weights is shorter than its header describes', async () => {
    const cut = model.subarray(0, model.length - 1000);
    const header = await readGgufHeader(source(cut));
    expect(header.expectedSize).toBe(model.length);
  });

  it('refuses a file cut inside its header as truncated', async () => {
    const error = await readGgufHeader(source(model.subarray(0, 200))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GgufError);
    expect((error as GgufError).kind).toBe('truncated');
  });

  it('refuses a file that is not GGUF', async () => {
    const html = new TextEncoder().encode('<!doctype html><html><body>Not found</body></html>');
    const error = await readGgufHeader(source(html)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GgufError);
    expect((error as GgufError).kind).toBe('invalid');
    expect(hasGgufMagic(html)).toBe(false);
    expect(hasGgufMagic(model)).toBe(true);
  });

  it('refuses absurd counts instead of allocating for them', async () => {
    const hostile = model.slice(0, 64);
    new DataView(hostile.buffer).setBigUint64(16, 2n ** 60n, true); // metadata entry count
    await expect(readGgufHeader(source(hostile))).rejects.toThrow(/not plausible/);
  });
});
