import 'fake-indexeddb/auto';
import { describe, expect, it, vi } from 'vitest';
import { makeTinyModel } from '../../../test-support/make-tiny-model.mjs';
import { runDownload, startDownload } from './add-model';
import { listDownloads } from './pending-downloads';
import { downloadGgufFile } from './download';
import type { PartState } from './download-types';
import { sha256Hex } from './download-verify';
import { DownloadError } from './download-error';
import { listModels, type ChunkSink } from './storage';
import { FakeRangeHost } from './testing/fake-range-host';

const model = makeTinyModel();

/** An in-memory ChunkSink: a fake of the IndexedDB one. */
class MemorySink implements ChunkSink {
  chunks = new Map<string, Blob>();
  async putChunk(id: string, index: number, bytes: Uint8Array, _at: number) {
    this.chunks.set(`${id}/${index}`, new Blob([bytes as BlobPart])); // a copy, as the contract asks
  }
  async discardChunks(id: string) {
    await this.discardChunksFrom(id, 0);
  }
  async discardChunksFrom(id: string, from: number) {
    for (const key of [...this.chunks.keys()]) {
      const [owner, index] = key.split('/');
      if (owner === id && Number(index) >= from) this.chunks.delete(key);
    }
  }
  async readFile(id: string) {
    return new Blob(
      [...this.chunks.entries()]
        .filter(([key]) => key.split('/')[0] === id)
        .sort(([a], [b]) => Number(a.split('/')[1]) - Number(b.split('/')[1]))
        .map(([, blob]) => blob),
    );
  }
}

/**
 * A fake of the OPFS sink: one growing file per id, written at byte offsets, which knows its own
 * size (so a download resumes from it) and asks for a checkpoint only every `checkpointBytes`.
 */
class FileSink implements ChunkSink {
  files = new Map<string, Uint8Array>();
  constructor(public checkpointBytes = 0) {}
  async putChunk(id: string, _index: number, bytes: Uint8Array, at: number) {
    const before = this.files.get(id) ?? new Uint8Array(0);
    const next = new Uint8Array(Math.max(before.length, at + bytes.length));
    next.set(before);
    next.set(bytes, at);
    this.files.set(id, next);
  }
  async discardChunks(id: string) {
    this.files.delete(id);
  }
  async discardChunksFrom(id: string, _fromIndex: number, fromByte: number) {
    this.files.set(id, (this.files.get(id) ?? new Uint8Array(0)).slice(0, fromByte));
  }
  async storedBytes(id: string) {
    return this.files.get(id)?.length ?? 0;
  }
  async readFile(id: string) {
    return new Blob([(this.files.get(id) ?? new Uint8Array(0)) as BlobPart]);
  }
}

const url = new URL('https://models.example/tiny.gguf');
const bytesOf = async (blob: Blob) => new Uint8Array(await blob.arrayBuffer());

describe('resumable download (downloadGgufFile with resume)', () => {
  it('keeps the bytes that arrived before a drop, and the next attempt fetches only the rest', async () => {
    const host = new FakeRangeHost(model, { dropAfter: [400_000] });
    const sink = new MemorySink();
    let state: PartState = { storedBytes: 0, chunkCount: 0 };
    const resume = () => ({ state, onCheckpoint: async (s: PartState) => void (state = s) });
    const request = { url, modelId: 'm', sink, fetch: host.fetch, chunkSize: 256 * 1024 };

    const error = await downloadGgufFile({ ...request, resume: resume() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DownloadError);
    expect((error as DownloadError).resumable).toBe(true);
    expect(state.storedBytes).toBe(400_000);
    expect((await sink.readFile('m')).size).toBe(400_000);

    const file = await downloadGgufFile({ ...request, resume: resume() });
    expect(file.sizeBytes).toBe(model.length);
    expect(host.log.map((r) => r.range)).toEqual([null, 'bytes=400000-']);
    expect(host.bytesSent).toBe(model.length); // no byte fetched twice
    expect(Buffer.compare(await bytesOf(await sink.readFile('m')), model)).toBe(0);
  });

  it('starts over when the server ignores Range, and still stores the file exactly once', async () => {
    const host = new FakeRangeHost(model, { dropAfter: [300_000], ignoreRange: true });
    const sink = new MemorySink();
    let state: PartState = { storedBytes: 0, chunkCount: 0 };
    const resume = () => ({ state, onCheckpoint: async (s: PartState) => void (state = s) });
    await downloadGgufFile({ url, modelId: 'm', sink, fetch: host.fetch, resume: resume() }).catch(() => undefined);
    const file = await downloadGgufFile({ url, modelId: 'm', sink, fetch: host.fetch, resume: resume() });
    expect(file.sizeBytes).toBe(model.length);
    expect(Buffer.compare(await bytesOf(await sink.readFile('m')), model)).toBe(0);
  });

  it('starts over when the file changed on the server (a different ETag)', async () => {
    const host = new FakeRangeHost(model, { etag: '"v2"' });
    const sink = new MemorySink();
    await sink.putChunk('m', 0, model.slice(0, 1000), 0);
    const state: PartState = { storedBytes: 1000, chunkCount: 1, etag: '"v1"', totalBytes: model.length };
    await downloadGgufFile({
      url,
      modelId: 'm',
      sink,
      fetch: host.fetch,
      resume: { state, onCheckpoint: async () => {} },
    });
    expect(host.log.map((r) => r.range)).toEqual(['bytes=1000-', null]);
    expect(Buffer.compare(await bytesOf(await sink.readFile('m')), model)).toBe(0);
  });

  it('overwrites a chunk written after the last checkpoint instead of appending twice', async () => {
    const host = new FakeRangeHost(model);
    const sink = new MemorySink();
    await sink.putChunk('m', 0, model.slice(0, 1000), 0);
    await sink.putChunk('m', 1, model.slice(1000, 1500), 1000); // not checkpointed
    const state: PartState = { storedBytes: 1000, chunkCount: 1 };
    const file = await downloadGgufFile({
      url,
      modelId: 'm',
      sink,
      fetch: host.fetch,
      resume: { state, onCheckpoint: async () => {} },
    });
    expect(file.sizeBytes).toBe(model.length);
    expect(Buffer.compare(await bytesOf(await sink.readFile('m')), model)).toBe(0);
  });

  it('checks SHA-256 where one is known, and removes a file that does not match', async () => {
    const good = await sha256Hex(new Blob([model.slice()]));
    const sink = new MemorySink();
    await downloadGgufFile({ url, modelId: 'ok', sink, fetch: new FakeRangeHost(model).fetch, sha256: good });
    const error = await downloadGgufFile({
      url,
      modelId: 'bad',
      sink,
      fetch: new FakeRangeHost(model).fetch,
      sha256: '0'.repeat(64),
      resume: { state: { storedBytes: 0, chunkCount: 0 }, onCheckpoint: async () => {} },
    }).catch((e: unknown) => e);
    expect((error as DownloadError).code).toBe('hash-mismatch');
    expect((await sink.readFile('bad')).size).toBe(0);
    expect((await sink.readFile('ok')).size).toBe(model.length);
  });

  it('removes the partial file when storage runs out (quota), so other data keeps its room', async () => {
    const sink = new MemorySink();
    let puts = 0;
    sink.putChunk = async (id, index, bytes) => {
      if (++puts > 2) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      sink.chunks.set(`${id}/${index}`, new Blob([bytes as BlobPart]));
    };
    const error = await downloadGgufFile({
      url,
      modelId: 'm',
      sink,
      chunkSize: 128 * 1024,
      fetch: new FakeRangeHost(model).fetch,
      resume: { state: { storedBytes: 0, chunkCount: 0 }, onCheckpoint: async () => {} },
    }).catch((e: unknown) => e);
    expect((error as DownloadError).code).toBe('quota-exceeded');
    expect((error as DownloadError).resumable).toBe(false);
    expect(sink.chunks.size).toBe(0);
  });
});

describe('runDownload (records and retries)', () => {
  it('retries a dropped connection from the stored bytes, then writes the model record — and only then', async () => {
    const host = new FakeRangeHost(model, { dropAfter: [500_000] });
    const sink = new MemorySink();
    const pending = await startDownload(url.href);
    expect(await listDownloads()).toHaveLength(1);
    const stored = await runDownload(pending, { fetch: host.fetch, sink, retryDelayMs: 1, chunkSize: 200_000 });
    expect(host.log.map((r) => r.range)).toEqual([null, 'bytes=500000-']);
    expect(host.bytesSent).toBe(model.length);
    expect(stored).toMatchObject({ name: 'Nook Tiny Test', sizeBytes: model.length, backend: 'wllama' });
    expect((await listModels()).map((m) => m.id)).toContain(stored.id);
    expect(await listDownloads()).toHaveLength(0);
    expect(await startDownload(url.href).catch((e: unknown) => (e as DownloadError).code)).toBe('already-stored');
  });

  it('leaves a resumable download (and no model) when the connection stays broken', async () => {
    const other = new URL('https://models.example/other.gguf');
    const host = new FakeRangeHost(model, { dropAfter: [300_000, 0, 0] });
    const sink = new MemorySink();
    const pending = await startDownload(other.href);
    const error = await runDownload(pending, { fetch: host.fetch, sink, retries: 2, retryDelayMs: 1 }).catch(
      (e: unknown) => e,
    );
    expect((error as DownloadError).resumable).toBe(true);
    expect((await listModels()).some((m) => m.sourceUrl === other.href)).toBe(false);
    const [saved] = (await listDownloads()).filter((d) => d.id === pending.id);
    expect(saved!.parts[0]!.storedBytes).toBe(300_000);

    // Later (e.g. after a reload), resuming finishes it from there.
    const later = new FakeRangeHost(model);
    const stored = await runDownload(saved!, { fetch: later.fetch, sink });
    expect(later.log.map((r) => r.range)).toEqual(['bytes=300000-']);
    expect(stored.sizeBytes).toBe(model.length);
  });

  it('waits for the network while the browser is offline, for as long as it takes, then goes on', async () => {
    const host = new FakeRangeHost(model, { dropAfter: [300_000] });
    const sink = new MemorySink();
    let online = false;
    let comeBack: () => void = () => undefined;
    const back = new Promise<void>((resolve) => (comeBack = resolve));
    const told: boolean[] = [];
    const pending = await startDownload('https://models.example/offline.gguf');
    const running = runDownload(pending, {
      fetch: host.fetch,
      sink,
      retries: 0, // without the wait, the first drop would end it
      backOnline: () => (online ? undefined : back),
      onOffline: (offline) => told.push(offline),
    });
    await vi.waitFor(() => expect(told).toEqual([true]));
    expect(host.log).toHaveLength(1); // nothing is tried while offline
    online = true;
    comeBack();
    const stored = await running;
    expect(told).toEqual([true, false]);
    expect(host.log.map((r) => r.range)).toEqual([null, 'bytes=300000-']);
    expect(stored.sizeBytes).toBe(model.length);
  });

  it('waits too when the first request finds no network (offline, not a wrong address)', async () => {
    const host = new FakeRangeHost(model);
    let online = false;
    let comeBack: () => void = () => undefined;
    const back = new Promise<void>((resolve) => (comeBack = resolve));
    const offlineFetch = (async (u: URL, init?: RequestInit) => {
      if (!online) throw new TypeError('Failed to fetch');
      return host.fetch(u, init);
    }) as typeof fetch;
    const told: boolean[] = [];
    const pending = await startDownload('https://models.example/offline-first.gguf');
    const running = runDownload(pending, {
      fetch: offlineFetch,
      sink: new MemorySink(),
      backOnline: () => (online ? undefined : back),
      onOffline: (offline) => told.push(offline),
    });
    await vi.waitFor(() => expect(told).toEqual([true]));
    online = true;
    comeBack();
    expect((await running).sizeBytes).toBe(model.length);
    expect(host.log.map((r) => r.range)).toEqual([null]);
  });

  it('retries a host not reached just after the browser says it is back online, as the connection settles', async () => {
    const host = new FakeRangeHost(model);
    let online = false;
    let unreachableAfterBack = 1; // the first request after the 'online' event still finds no network
    let comeBack: () => void = () => undefined;
    const back = new Promise<void>((resolve) => (comeBack = resolve));
    const settlingFetch = (async (u: URL, init?: RequestInit) => {
      if (!online || unreachableAfterBack-- > 0) throw new TypeError('Failed to fetch');
      return host.fetch(u, init);
    }) as typeof fetch;
    const told: boolean[] = [];
    const pending = await startDownload('https://models.example/settling.gguf');
    const running = runDownload(pending, {
      fetch: settlingFetch,
      sink: new MemorySink(),
      retryDelayMs: 1,
      backOnline: () => (online ? undefined : back),
      onOffline: (offline) => told.push(offline),
    });
    await vi.waitFor(() => expect(told).toEqual([true]));
    online = true;
    comeBack();
    expect((await running).sizeBytes).toBe(model.length);
    expect(host.log.map((r) => r.range)).toEqual([null]);
  });

  it('still names an unreachable host at once when the browser was online all along', async () => {
    const pending = await startDownload('https://models.example/nowhere.gguf');
    let tries = 0;
    const unreachable = (async () => {
      tries++;
      throw new TypeError('Failed to fetch');
    }) as typeof fetch;
    const error = await runDownload(pending, {
      fetch: unreachable,
      sink: new MemorySink(),
      backOnline: () => undefined,
    }).catch((e: unknown) => e);
    expect((error as DownloadError).code).toBe('unreachable');
    expect(tries).toBe(1);
  });

  it('can be cancelled while it waits for the network', async () => {
    const host = new FakeRangeHost(model, { dropAfter: [300_000] });
    const controller = new AbortController();
    const told: boolean[] = [];
    const pending = await startDownload('https://models.example/offline-cancelled.gguf');
    const running = runDownload(pending, {
      fetch: host.fetch,
      sink: new MemorySink(),
      signal: controller.signal,
      backOnline: () => new Promise<void>(() => undefined), // never back
      onOffline: (offline) => told.push(offline),
    }).catch((e: unknown) => e);
    await vi.waitFor(() => expect(told).toEqual([true]));
    controller.abort();
    expect(((await running) as DownloadError).code).toBe('aborted');
  });

  it('downloads every part of a split model and records their sizes in order', async () => {
    // Each part of a split GGUF is itself a GGUF file; two tiny models stand in for the parts.
    const parts = [model, makeTinyModel({ name: 'Part two' })];
    const sink = new MemorySink();
    const fetchPart = (async (u: URL, init?: RequestInit) =>
      new FakeRangeHost(/00001-of/.test(String(u)) ? parts[0]! : parts[1]!).fetch(u, init)) as typeof fetch;
    const pending = await startDownload('https://models.example/split-00002-of-00002.gguf');
    expect(pending.partUrls).toEqual([
      'https://models.example/split-00001-of-00002.gguf',
      'https://models.example/split-00002-of-00002.gguf',
    ]);
    const stored = await runDownload(pending, { fetch: fetchPart, sink });
    expect(stored.partSizes).toEqual([parts[0]!.length, parts[1]!.length]);
    expect(stored.sizeBytes).toBe(parts[0]!.length + parts[1]!.length);
  });

  it('judges a split model by its whole size before fetching a byte of any part', async () => {
    const parts = [model, makeTinyModel({ name: 'Part two' }), makeTinyModel({ name: 'Part three' })];
    const requests: string[] = [];
    const fetchPart = (async (u: URL, init?: RequestInit) => {
      requests.push(`${init?.method ?? 'GET'} ${String(u).split('/').pop()}`);
      const index = Number(/0000(\d)-of/.exec(String(u))![1]) - 1;
      return new FakeRangeHost(parts[index]!).fetch(u, init);
    }) as typeof fetch;
    const sink = new MemorySink();
    const pending = await startDownload('https://models.example/big-00001-of-00003.gguf');
    // Each part alone fits; the three together do not.
    const limit = parts[0]!.length * 2.5;
    const error = await runDownload(pending, {
      fetch: fetchPart,
      sink,
      refuseSize: ({ fileBytes, modelBytes }) =>
        fileBytes > limit || modelBytes > limit ? `A model of ${modelBytes} bytes does not fit.` : undefined,
    }).catch((e: unknown) => e);
    expect((error as DownloadError).code).toBe('too-large');
    expect((error as DownloadError).message).toBe(`A model of ${parts[0]!.length * 3} bytes does not fit.`);
    expect(requests.every((r) => r.startsWith('HEAD '))).toBe(true);
    expect(sink.chunks.size).toBe(0);
    expect((await listDownloads()).some((d) => d.id === pending.id)).toBe(false);
  });
});

describe('downloading into a file store (the OPFS sink)', () => {
  it('goes on from the bytes the file holds when its last checkpoint is behind', async () => {
    const sink = new FileSink();
    // 300 kB reached the file, but the page closed before the checkpoint after 100 kB was saved.
    await sink.putChunk('m', 0, model.slice(0, 300_000), 0);
    const host = new FakeRangeHost(model);
    const file = await downloadGgufFile({
      url,
      modelId: 'm',
      sink,
      fetch: host.fetch,
      resume: { state: { storedBytes: 100_000, chunkCount: 1 }, onCheckpoint: async () => {} },
    });
    expect(host.log.map((r) => r.range)).toEqual(['bytes=300000-']);
    expect(file.sizeBytes).toBe(model.length);
    expect(Buffer.compare(await bytesOf(await sink.readFile('m')), model)).toBe(0);
  });

  it('saves a checkpoint only every checkpointBytes, and always where a broken connection stopped', async () => {
    const sink = new FileSink(512 * 1024);
    const checkpoints: number[] = [];
    const error = await downloadGgufFile({
      url,
      modelId: 'm',
      sink,
      chunkSize: 64 * 1024,
      fetch: new FakeRangeHost(model, { dropAfter: [900_000] }).fetch,
      resume: {
        state: { storedBytes: 0, chunkCount: 0 },
        onCheckpoint: async (state) => void checkpoints.push(state.storedBytes),
      },
    }).catch((e: unknown) => e);
    expect((error as DownloadError).resumable).toBe(true);
    // 13 chunks of 64 kB and a rest stored before the break: a checkpoint once 512 kB are in, one at the break.
    expect(checkpoints).toEqual([512 * 1024, 900_000]);
    expect(await sink.storedBytes('m')).toBe(900_000);
  });
});
