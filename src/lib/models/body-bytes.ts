/**
 * Reads a response body without garbage per network packet: into one buffer that the caller
 * reuses (`read`, for a sink that stores whole chunks), or piece by piece as the network delivers
 * it (`next`, for a sink that writes any size at once). Where the body is a byte stream
 * (Chromium's fetch bodies), a BYOB reader lets the network write into one reused staging buffer;
 * elsewhere the stream's own chunks are used.
 */

export interface BodyRead {
  buffer: ArrayBuffer;
  bytes: number;
  done: boolean;
}

export interface BodyBytes {
  /**
   * Reads some bytes into `buffer` at `at` (at most up to its end). Resolves with the buffer that
   * holds them (the same one: it is never detached), how many arrived, and whether the body ended
   * (then with no bytes).
   */
  read(buffer: ArrayBuffer, at: number): Promise<BodyRead>;
  /**
   * The next bytes as they arrived, or undefined at the end. The view is valid only until the
   * next call (it is the reused staging buffer): use or copy it before asking for more. Not to
   * be mixed with `read` on the same body.
   */
  next(): Promise<Uint8Array | undefined>;
  /** Stops reading (the body may already be closed or errored). */
  cancel(): void;
}

function byobReader(body: ReadableStream<Uint8Array>): ReadableStreamBYOBReader | undefined {
  try {
    return body.getReader({ mode: 'byob' });
  } catch {
    return undefined; // not a byte stream
  }
}

/** Bytes one BYOB read may bring at most (its staging buffer is reused, not allocated per read). */
const STAGING_BYTES = 1024 * 1024;

export function bodyBytes(body: ReadableStream<Uint8Array>): BodyBytes {
  const byob = byobReader(body);
  if (byob) {
    // The network writes into a small staging buffer, copied into the caller's: a BYOB read
    // takes (detaches) the whole buffer it reads into, and one that fails never gives it back,
    // so reading straight into the caller's buffer would lose the bytes already there when a
    // connection breaks — bytes a resumed download must keep.
    let staging = new ArrayBuffer(STAGING_BYTES);
    return {
      async read(buffer, at) {
        const room = Math.min(staging.byteLength, buffer.byteLength - at);
        const { done, value } = await byob.read(new Uint8Array(staging, 0, room));
        // No view back only when the body was cancelled, which happens after the last read.
        if (!value) throw new DOMException('The download body was cancelled.', 'AbortError');
        staging = value.buffer as ArrayBuffer;
        new Uint8Array(buffer, at, value.byteLength).set(value);
        return { buffer, bytes: value.byteLength, done };
      },
      async next() {
        for (;;) {
          const { done, value } = await byob.read(new Uint8Array(staging));
          if (!value) throw new DOMException('The download body was cancelled.', 'AbortError');
          staging = value.buffer as ArrayBuffer;
          if (done) return undefined;
          if (value.byteLength > 0) return value;
        }
      },
      cancel: () => void byob.cancel().catch(() => undefined),
    };
  }
  const reader = body.getReader();
  let rest: Uint8Array | undefined;
  return {
    async read(buffer, at) {
      while (!rest || rest.length === 0) {
        const step = await reader.read();
        if (step.done) return { buffer, bytes: 0, done: true };
        rest = step.value;
      }
      const bytes = Math.min(rest.length, buffer.byteLength - at);
      new Uint8Array(buffer, at, bytes).set(rest.subarray(0, bytes));
      rest = rest.subarray(bytes);
      return { buffer, bytes, done: false };
    },
    async next() {
      for (;;) {
        const step = await reader.read();
        if (step.done) return undefined;
        if (step.value.length > 0) return step.value;
      }
    },
    cancel: () => void reader.cancel().catch(() => undefined),
  };
}
