/** Test fakes for model downloads (a unit test's stand-ins for a model host). */

/**
 * A FAKE model host for fetch: serves one file, honours `Range` (206 + Content-Range) unless told
 * not to, sends an ETag, can drop the connection after some bytes, and logs
 * each request with the bytes it sent.
 */
export class FakeRangeHost {
  log: { range: string | null; sent: number }[] = [];
  constructor(
    public body: Uint8Array,
    public options: {
      dropAfter?: number[];
      ignoreRange?: boolean;
      etag?: string;
      /** A slow network: after this many bytes nothing more arrives until the request is aborted. */
      stallAfter?: number;
    } = {},
  ) {}
  get bytesSent() {
    return this.log.reduce((sum, r) => sum + r.sent, 0);
  }
  fetch = (async (_url: URL, init?: RequestInit) => {
    const headers = new Headers(init?.headers);
    const range = headers.get('range');
    const entry = { range, sent: 0 };
    this.log.push(entry);
    const etag = this.options.etag ?? '"v1"';
    let start = 0;
    const match = /^bytes=(\d+)-$/.exec(range ?? '');
    const honour = match && !this.options.ignoreRange;
    if (honour) start = Number(match[1]);
    if (honour && start >= this.body.length) {
      return new Response(null, { status: 416, headers: { 'content-range': `bytes */${this.body.length}` } });
    }
    const dropAt = this.options.dropAfter?.shift();
    const stallAt = this.options.stallAfter;
    const signal = init?.signal;
    // As a real fetch does: an abort errors the body.
    const aborted = () =>
      new Promise<void>((resolve) => {
        if (signal?.aborted) resolve();
        signal?.addEventListener('abort', () => resolve(), { once: true });
      });
    const slice = this.body.subarray(start);
    let offset = 0;
    const stream = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (stallAt !== undefined && offset >= stallAt) await aborted();
        if (signal?.aborted) return controller.error(new DOMException('The operation was aborted.', 'AbortError'));
        if (dropAt !== undefined && offset >= dropAt) return controller.error(new TypeError('network error'));
        if (offset >= slice.length) return controller.close();
        const piece = slice.slice(offset, Math.min(offset + 32 * 1024, dropAt ?? Infinity));
        offset += piece.length;
        entry.sent += piece.length;
        controller.enqueue(piece);
      },
    });
    const common = { etag, 'content-length': String(slice.length), 'accept-ranges': 'bytes' };
    return honour
      ? new Response(stream, {
          status: 206,
          headers: { ...common, 'content-range': `bytes ${start}-${this.body.length - 1}/${this.body.length}` },
        })
      : new Response(stream, { status: 200, headers: common });
  }) as unknown as typeof fetch;
}
