import { createHash } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { makeTinyModel } from '../../../test-support/make-tiny-model.mjs';
import { downloadGgufFile } from './download';
import type { DownloadProgress } from './download-types';
import { sha256Hex } from './download-verify';
import { DownloadError } from './download-error';
import { parseModelUrl } from './model-url';
import type { ChunkSink } from './storage';

const model = makeTinyModel();

/** An in-memory ChunkSink (a fake of the IndexedDB one) that records what was written. */
class MemorySink implements ChunkSink {
  chunks = new Map<string, Blob>();
  async putChunk(modelId: string, index: number, bytes: Uint8Array, _at: number) {
    this.chunks.set(`${modelId}/${index}`, new Blob([bytes as BlobPart])); // a copy, as the contract asks
  }
  async discardChunks(modelId: string) {
    await this.discardChunksFrom(modelId, 0);
  }
  async discardChunksFrom(modelId: string, fromIndex: number) {
    for (const key of [...this.chunks.keys()]) {
      if (key.startsWith(`${modelId}/`) && Number(key.split('/')[1]) >= fromIndex) this.chunks.delete(key);
    }
  }
  async readFile(modelId: string) {
    const parts = [...this.chunks.entries()]
      .filter(([key]) => key.startsWith(`${modelId}/`))
      .sort(([a], [b]) => Number(a.split('/')[1]) - Number(b.split('/')[1]))
      .map(([, blob]) => blob);
    return new Blob(parts);
  }
}

/** A body streamed in pieces, optionally failing after `failAfter` bytes like a dropped connection. */
function streamOf(bytes: Uint8Array, piece = 64 * 1024, failAfter?: number): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (failAfter !== undefined && offset >= failAfter) return controller.error(new TypeError('network error'));
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(offset, offset + piece));
      offset += piece;
    },
  });
}

function fetchReturning(body: ReadableStream<Uint8Array> | null, init: ResponseInit & { length?: number } = {}) {
  return (async () =>
    new Response(body, {
      status: init.status ?? 200,
      headers: init.length === undefined ? {} : { 'content-length': String(init.length) },
    })) as unknown as typeof fetch;
}

const url = new URL('https://models.example/tiny.gguf');

describe('parseModelUrl', () => {
  it('accepts http(s) addresses and refuses the rest with a clear message', () => {
    expect(parseModelUrl('  https://a.example/m.gguf ').href).toBe('https://a.example/m.gguf');
    expect(() => parseModelUrl('not a url')).toThrow(/not a web address/);
    expect(() => parseModelUrl('')).toThrow(/not a web address/);
    expect(() => parseModelUrl('file:///etc/passwd')).toThrow(/Only http and https/);
    expect(() => parseModelUrl('javascript:alert(1)')).toThrow(/Only http and https/);
  });
});

describe('downloadGgufFile', () => {
  it('stores the file in chunks, reports progress up to the total, and returns its header', async () => {
    const sink = new MemorySink();
    const progress: DownloadProgress[] = [];
    const file = await downloadGgufFile({
      url,
      modelId: 'm',
      sink,
      chunkSize: 256 * 1024,
      fetch: fetchReturning(streamOf(model), { length: model.length }),
      onProgress: (p) => progress.push({ ...p }),
    });
    expect(file.sizeBytes).toBe(model.length);
    expect(file.chunkCount).toBe(Math.ceil(model.length / (256 * 1024)));
    const stored = new Uint8Array(await (await sink.readFile('m')).arrayBuffer());
    expect(Buffer.compare(stored, model)).toBe(0); // byte for byte (toEqual is slow on 1 MB)
    expect(progress.at(-1)).toEqual({ receivedBytes: model.length, totalBytes: model.length });
    expect(progress.length).toBeGreaterThan(3);
  });

  it('hands a sink that takes pieces each piece as it arrives, with no chunk buffer in between', async () => {
    const sink = new MemorySink();
    const sizes: number[] = [];
    const pieceSink: ChunkSink = {
      ...sink,
      takesPieces: true,
      putChunk: (modelId, index, bytes, at) => {
        sizes.push(bytes.length);
        return sink.putChunk(modelId, index, bytes, at);
      },
      discardChunks: (modelId) => sink.discardChunks(modelId),
      discardChunksFrom: (modelId, fromIndex) => sink.discardChunksFrom(modelId, fromIndex),
      readFile: (modelId) => sink.readFile(modelId),
    };
    const file = await downloadGgufFile({
      url,
      modelId: 'm',
      sink: pieceSink,
      chunkSize: 256 * 1024,
      fetch: fetchReturning(streamOf(model, 40_000), { length: model.length }),
    });
    expect(file.sizeBytes).toBe(model.length);
    // The stream's 40,000-byte pieces, not 256 KB chunks.
    expect(sizes.slice(0, -1).every((size) => size === 40_000)).toBe(true);
    expect(sizes).toHaveLength(Math.ceil(model.length / 40_000));
    const stored = new Uint8Array(await (await sink.readFile('m')).arrayBuffer());
    expect(Buffer.compare(stored, model)).toBe(0);
  });

  async function expectFailure(code: DownloadError['code'], fetchFn: typeof fetch, signal?: AbortSignal) {
    const sink = new MemorySink();
    const error = await downloadGgufFile({
      url,
      modelId: 'm',
      sink,
      fetch: fetchFn,
      chunkSize: 128 * 1024,
      signal,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DownloadError);
    expect((error as DownloadError).code).toBe(code);
    expect(sink.chunks.size).toBe(0); // nothing half-written stays behind
    return error as DownloadError;
  }

  it('reports a server that cannot be reached', async () => {
    const error = await expectFailure('unreachable', (async () => {
      throw new TypeError('Failed to fetch');
    }) as unknown as typeof fetch);
    expect(error.message).toContain('models.example');
  });

  it('reports an HTTP error status', async () => {
    const error = await expectFailure('http-status', fetchReturning(streamOf(new Uint8Array(10)), { status: 404 }));
    expect(error.message).toContain('404');
  });

  it('refuses a file that is not GGUF at its first bytes', async () => {
    const html = new TextEncoder().encode('<html>'.repeat(100_000));
    let pulled = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(html.slice(0, 1024));
      },
    });
    await expectFailure('not-gguf', fetchReturning(body));
    expect(pulled).toBeLessThan(5); // it stopped reading instead of downloading everything
  });

  it('refuses a file shorter than its header describes (server sent it as complete)', async () => {
    const half = model.slice(0, model.length / 2);
    await expectFailure('truncated', fetchReturning(streamOf(half), { length: half.length }));
  });

  it('refuses a download shorter than its Content-Length', async () => {
    const half = model.slice(0, model.length / 2);
    await expectFailure('truncated', fetchReturning(streamOf(half), { length: model.length }));
  });

  it('reports a connection that breaks mid-file and removes what was stored', async () => {
    const error = await expectFailure(
      'unreachable',
      fetchReturning(streamOf(model, 64 * 1024, 512 * 1024), { length: model.length }),
    );
    expect(error.message).toMatch(/broke after/);
  });

  it('stops and cleans up when cancelled', async () => {
    const controller = new AbortController();
    let pulls = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(c) {
        if (++pulls === 5) controller.abort();
        if (controller.signal.aborted) return c.error(new DOMException('aborted', 'AbortError'));
        c.enqueue(model.slice((pulls - 1) * 65536, pulls * 65536));
      },
    });
    await expectFailure('aborted', fetchReturning(body, { length: model.length }), controller.signal);
  });
});

describe('sha256Hex', () => {
  it('hashes a file one slice at a time, never reading it whole', async () => {
    const bytes = new Uint8Array(5 * 1024 * 1024 + 17).map((_, i) => (i * 31) % 251);
    const file = new Blob([bytes.subarray(0, 3_000_000), bytes.subarray(3_000_000)]);
    const read = vi.spyOn(Blob.prototype, 'arrayBuffer');
    try {
      const hex = await sha256Hex(file, 1024 * 1024);
      expect(hex).toBe(createHash('sha256').update(bytes).digest('hex'));
      const sizes = read.mock.contexts.map((blob) => (blob as Blob).size);
      expect(sizes.length).toBe(6);
      expect(Math.max(...sizes)).toBe(1024 * 1024);
    } finally {
      read.mockRestore();
    }
  });

  it('refuses a stored file whose hash differs from the published one, and keeps nothing', async () => {
    const sink = new MemorySink();
    const fetch = async () => new Response(streamOf(model), { headers: { 'content-length': String(model.length) } });
    const good = createHash('sha256').update(model).digest('hex');
    const stored = await downloadGgufFile({
      url: new URL('https://h.example/m.gguf'),
      modelId: 'a',
      sink,
      fetch,
      sha256: good.toUpperCase(),
      chunkSize: 100_000,
    });
    expect(stored.sizeBytes).toBe(model.length);
    const bad = `${good.slice(0, -1)}${good.endsWith('0') ? '1' : '0'}`;
    await expect(
      downloadGgufFile({
        url: new URL('https://h.example/m.gguf'),
        modelId: 'b',
        sink,
        fetch,
        sha256: bad,
        chunkSize: 100_000,
      }),
    ).rejects.toMatchObject({ code: 'hash-mismatch' });
    expect([...sink.chunks.keys()].some((key) => key.startsWith('b/'))).toBe(false);
  });

  it('hashes the bytes as they arrive, so a checksum costs no second read of the stored file', async () => {
    const sink = new MemorySink();
    let readBack = 0;
    const readFile = sink.readFile.bind(sink);
    sink.readFile = async (modelId) => {
      const file = await readFile(modelId);
      const counted = Object.create(file) as Blob;
      counted.slice = (start?: number, end?: number) => {
        const part = file.slice(start, end);
        readBack += part.size;
        return part;
      };
      Object.defineProperty(counted, 'size', { value: file.size });
      return counted;
    };
    const fetch = async () => new Response(streamOf(model), { headers: { 'content-length': String(model.length) } });
    const download = async (modelId: string, sha256?: string) => {
      readBack = 0;
      await downloadGgufFile({ url: new URL('https://h.example/m.gguf'), modelId, sink, fetch, sha256 });
      return readBack;
    };
    const withoutChecksum = await download('a');
    // The header is read back either way; the checksum adds no read of the file.
    expect(withoutChecksum).toBeGreaterThan(0);
    expect(await download('b', createHash('sha256').update(model).digest('hex'))).toBe(withoutChecksum);
  });
});

describe('writing while downloading', () => {
  it('reads the next chunk while the last one is written, with one write in flight at most', async () => {
    const sink = new MemorySink();
    let inFlight = 0;
    let maxInFlight = 0;
    let pulledWhileWriting = 0;
    let pulled = 0;
    const put = sink.putChunk.bind(sink);
    sink.putChunk = async (modelId, index, bytes, at) => {
      // A disk that takes the bytes at once (the downloader reuses the buffer) and ends later.
      const taken = bytes.slice();
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      const before = pulled;
      // A slow disk: the write ends only after a few macrotasks.
      for (let i = 0; i < 20; i++) await new Promise((resolve) => setTimeout(resolve, 0));
      pulledWhileWriting = Math.max(pulledWhileWriting, pulled - before);
      inFlight--;
      await put(modelId, index, taken, at);
    };
    const body = streamOf(model, 16 * 1024);
    const counted = body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(piece, controller) {
          pulled += piece.length;
          controller.enqueue(piece);
        },
      }),
    );
    const fetch = async () => new Response(counted, { headers: { 'content-length': String(model.length) } });
    const stored = await downloadGgufFile({
      url: new URL('https://h.example/m.gguf'),
      modelId: 'm',
      sink,
      fetch,
      chunkSize: 200_000,
    });
    expect(stored.sizeBytes).toBe(model.length);
    expect(maxInFlight).toBe(1);
    expect(pulledWhileWriting).toBeGreaterThan(64 * 1024); // more than stream buffering explains
  });
});

describe('a byte-stream body, as Chromium’s fetch gives', () => {
  it('stores every byte at its place while the next ones are read into the same (reused) buffer', async () => {
    const sink = new MemorySink();
    const offsets: number[] = [];
    const put = sink.putChunk.bind(sink);
    // A disk that takes the bytes at once and finishes later, while the next bytes arrive.
    sink.putChunk = async (modelId, index, bytes, at) => {
      offsets.push(at);
      const stored = put(modelId, index, bytes, at);
      await new Promise((resolve) => setTimeout(resolve, 1));
      await stored;
    };
    let offset = 0;
    const body = new ReadableStream({
      type: 'bytes',
      pull(controller) {
        if (offset >= model.length) {
          controller.close();
          controller.byobRequest?.respond(0); // a pending BYOB read learns the end
          return;
        }
        controller.enqueue(model.slice(offset, offset + 20_000));
        offset += 20_000;
      },
    });
    // A Response-shaped answer: Node's Response would wrap the body in a stream of its own.
    const fetch = (async () =>
      ({
        status: 200,
        ok: true,
        headers: new Headers({ 'content-length': String(model.length) }),
        body,
      }) as unknown as Response) as typeof globalThis.fetch;
    const file = await downloadGgufFile({ url, modelId: 'm', sink, fetch, chunkSize: 64 * 1024 });
    expect(file.sizeBytes).toBe(model.length);
    expect(offsets).toEqual(offsets.map((_, i) => i * 64 * 1024));
    expect(Buffer.compare(new Uint8Array(await (await sink.readFile('m')).arrayBuffer()), model)).toBe(0);
  });
});

describe('limits known before the download', () => {
  it('refuses a file the engine cannot run from its announced size, before reading or storing a byte', async () => {
    const sink = new MemorySink();
    let pulled = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(new Uint8Array(1024));
      },
    });
    const fetch = async () => new Response(body, { headers: { 'content-length': String(3 * 2 ** 30) } });
    const seen: number[] = [];
    await expect(
      downloadGgufFile({
        url: new URL('https://h.example/big.gguf'),
        modelId: 'big',
        sink,
        fetch,
        refuseSize: (bytes) => (seen.push(bytes), 'Too big for this engine.'),
      }),
    ).rejects.toMatchObject({ code: 'too-large', message: 'Too big for this engine.', resumable: false });
    expect(seen).toEqual([3 * 2 ** 30]);
    expect(sink.chunks.size).toBe(0);
    expect(pulled).toBeLessThanOrEqual(1); // what the stream buffers on its own, never read by us
  });
});
