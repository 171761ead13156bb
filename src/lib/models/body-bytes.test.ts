import { describe, expect, it } from 'vitest';
import { bodyBytes } from './body-bytes';

const data = new Uint8Array(300_000).map((_, i) => (i * 7) % 256);

/** Reads all of `body` through one buffer of `size`, the way the downloader does. */
async function readAll(body: ReadableStream<Uint8Array>, size: number) {
  const reader = bodyBytes(body);
  let buffer = new ArrayBuffer(size);
  let filled = 0;
  const out: number[] = [];
  for (;;) {
    const step = await reader.read(buffer, filled);
    buffer = step.buffer;
    filled += step.bytes;
    if (step.done || filled === buffer.byteLength) {
      out.push(...new Uint8Array(buffer, 0, filled));
      filled = 0;
    }
    if (step.done) return { bytes: new Uint8Array(out), buffer };
  }
}

describe('bodyBytes', () => {
  it('lets a byte stream write into a reused buffer (BYOB), and hands the caller’s buffer back whole', async () => {
    let pulls = 0;
    let intoOurs = 0;
    let offset = 0;
    const body = new ReadableStream({
      type: 'bytes',
      pull(controller) {
        pulls++;
        const request = controller.byobRequest;
        if (offset >= data.length) {
          controller.close();
          request?.respond(0);
          return;
        }
        if (!request?.view) throw new Error('expected a BYOB read');
        intoOurs++;
        const view = new Uint8Array(request.view.buffer, request.view.byteOffset, request.view.byteLength);
        const n = Math.min(view.length, 10_000, data.length - offset);
        view.set(data.subarray(offset, offset + n));
        offset += n;
        request.respond(n);
      },
    });
    const { bytes, buffer } = await readAll(body, 64 * 1024);
    expect(Buffer.compare(bytes, data)).toBe(0);
    expect(intoOurs).toBe(pulls - 1); // every read but the last was a BYOB read
    expect(buffer.byteLength).toBe(64 * 1024); // not detached: it can be used again
  });

  it('copies the chunks of a plain stream into the buffer, across its ends', async () => {
    let offset = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (offset >= data.length) return controller.close();
        controller.enqueue(data.slice(offset, offset + 50_000));
        offset += 50_000;
      },
    });
    const { bytes } = await readAll(body, 64 * 1024);
    expect(Buffer.compare(bytes, data)).toBe(0);
  });

  it('keeps the bytes already read when a byte stream breaks, so a resumed download can store them', async () => {
    let pulls = 0;
    const body = new ReadableStream({
      type: 'bytes',
      pull(controller) {
        if (++pulls > 3) return controller.error(new TypeError('network error'));
        controller.enqueue(data.slice((pulls - 1) * 10_000, pulls * 10_000));
      },
    });
    const reader = bodyBytes(body);
    const buffer = new ArrayBuffer(64 * 1024);
    let filled = 0;
    const broke = await (async () => {
      for (;;) filled += (await reader.read(buffer, filled)).bytes;
    })().catch((error: unknown) => error);
    expect(broke).toBeInstanceOf(TypeError);
    expect(filled).toBe(30_000);
    expect(Buffer.compare(new Uint8Array(buffer, 0, filled), data.subarray(0, 30_000))).toBe(0);
  });
});
