import { describe, expect, it } from 'vitest';
import { HandleBlob, type ReadHandle } from './handle-blob';

const bytes = new Uint8Array(100_000).map((_, i) => (i * 13) % 251);

/** A fake sync access handle over `data` that answers at most `most` bytes per read, as a file may. */
function handleOver(data: Uint8Array, most = 7_000): ReadHandle & { reads: number } {
  const handle = {
    reads: 0,
    getSize: () => data.length,
    read(into: Uint8Array, { at }: { at: number }) {
      handle.reads++;
      const n = Math.max(0, Math.min(into.length, most, data.length - at));
      into.set(data.subarray(at, at + n));
      return n;
    },
  };
  return handle;
}

describe('HandleBlob (a stored file read through its sync access handle)', () => {
  it('serves slices as Blob.slice does, read whole from the handle', async () => {
    const blob = new HandleBlob(handleOver(bytes), 'm.gguf');
    expect(blob).toBeInstanceOf(Blob);
    expect(blob.size).toBe(bytes.length);
    expect(blob.name).toBe('m.gguf');
    const slice = blob.slice(1_000, 51_000);
    expect(slice.size).toBe(50_000);
    expect(Buffer.compare(new Uint8Array(await slice.arrayBuffer()), bytes.subarray(1_000, 51_000))).toBe(0);
    // A slice of a slice, negative ends, and ends past the blob, as the platform's Blob has them.
    const inner = slice.slice(10, -10);
    expect(Buffer.compare(await inner.bytes(), bytes.subarray(1_010, 50_990))).toBe(0);
    expect(blob.slice(-5).size).toBe(5);
    expect(blob.slice(99_990, 200_000).size).toBe(10);
    expect(blob.slice(500, 100).size).toBe(0);
  });

  it('streams the whole file, and reads text', async () => {
    const blob = new HandleBlob(handleOver(bytes), 'm.gguf');
    const streamed = new Uint8Array(await new Response(blob.stream()).arrayBuffer());
    expect(Buffer.compare(streamed, bytes)).toBe(0);
    const text = new HandleBlob(handleOver(new TextEncoder().encode('GGUF header')), 't');
    expect(await text.slice(0, 4).text()).toBe('GGUF');
  });

  it('reads into a given view (a shared heap too), fewer bytes at the end of the blob', () => {
    const slice = new HandleBlob(handleOver(bytes), 'm.gguf').slice(90_000);
    const heap = new Uint8Array(new SharedArrayBuffer(64 * 1024));
    expect(slice.readInto(heap.subarray(100, 100 + 8_000), 1_000)).toBe(8_000);
    expect(Buffer.compare(heap.subarray(100, 8_100), bytes.subarray(91_000, 99_000))).toBe(0);
    // llama.cpp's 1 MB read-ahead asks for more than is left.
    heap.fill(0);
    expect(slice.readInto(heap.subarray(0, 50_000), 9_000)).toBe(1_000);
    expect(Buffer.compare(heap.subarray(0, 1_000), bytes.subarray(99_000))).toBe(0);
    expect(heap[1_000]).toBe(0);
  });

  it('fails clearly when the file is shorter than the blob claims', async () => {
    const blob = new HandleBlob(handleOver(bytes.subarray(0, 10)), 'm.gguf', 0, 100);
    await expect(blob.arrayBuffer()).rejects.toThrow(/ended early/);
  });
});
