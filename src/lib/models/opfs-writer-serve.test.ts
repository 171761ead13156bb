import { describe, expect, it } from 'vitest';
import { makeTinyModel } from '../../../test-support/make-tiny-model.mjs';
import type { DownloadProgress, PartState } from './download-types';
import { DownloadError } from './download-error';
import { ChannelWorker } from '../shared/testing/channel-worker';
import { serveModelWriter } from './opfs-writer-serve';
import { WriterClient } from './opfs-writer-client';
import { FakeModelFolder } from './testing/fake-model-folder';
import { FakeRangeHost } from './testing/fake-range-host';

const model = makeTinyModel();
const url = new URL('https://models.example/tiny.gguf');
const FILE = 'm.gguf'; // opfsFileName('m')

/** The page's client and the worker's server over a real MessageChannel, with a fake folder and host. */
function connect(host: FakeRangeHost, folder = new FakeModelFolder()) {
  const workers: ChannelWorker[] = [];
  const client = new WriterClient(() => {
    const worker = new ChannelWorker((port) => serveModelWriter(port, folder, host.fetch));
    workers.push(worker);
    return worker;
  });
  const close = () => workers.forEach((worker) => worker.terminate());
  return { client, folder, workers, close };
}

const failureOf = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.fail('expected the download to fail'),
    (error: unknown) => error as DownloadError,
  );

describe('a download run by the model-file worker, driven through its protocol', () => {
  it('stores the file in place, reports progress to the page, and answers with the header’s summary', async () => {
    const { client, folder, close } = connect(new FakeRangeHost(model));
    const progress: DownloadProgress[] = [];
    try {
      const file = await client.download({
        url,
        modelId: 'm',
        chunkSize: 64 * 1024,
        onProgress: (p) => progress.push(p),
      });
      expect(file).toMatchObject({ sizeBytes: model.length, summary: { name: 'Nook Tiny Test' } });
      expect(Buffer.compare(folder.files.get(FILE)!, model)).toBe(0);
      expect(progress.at(-1)).toEqual({ receivedBytes: model.length, totalBytes: model.length });
      expect(folder.openNow.size).toBe(0); // its handle is released, so the page can read the file
    } finally {
      close();
    }
  });

  it('leaves a new file untruncated, and empties one that holds bytes when the download starts over', async () => {
    const fresh = { state: { storedBytes: 0, chunkCount: 0 }, onCheckpoint: async () => undefined };
    const first = connect(new FakeRangeHost(model));
    const { folder } = first;
    try {
      await first.client.download({ url, modelId: 'm', resume: fresh });
      expect(folder.truncations).toEqual([]);
      expect(Buffer.compare(folder.files.get(FILE)!, model)).toBe(0);
    } finally {
      first.close();
    }
    // Bytes stored before, and a server that ignores Range: the whole file comes again (200).
    folder.files.set('n.gguf', new Uint8Array(1000).fill(7));
    const again = connect(new FakeRangeHost(model, { ignoreRange: true }), folder);
    try {
      const file = await again.client.download({ url, modelId: 'n', resume: fresh });
      expect(folder.truncations).toEqual([['n.gguf', 0]]);
      expect(file.sizeBytes).toBe(model.length);
      expect(Buffer.compare(folder.files.get('n.gguf')!, model)).toBe(0);
    } finally {
      again.close();
    }
  });

  it('tells the page of progress at most every 100 ms, and always of the last byte', async () => {
    const { client, close } = connect(new FakeRangeHost(model));
    const progress: DownloadProgress[] = [];
    const started = performance.now();
    try {
      // 16 KB pieces: the downloader itself reports ~200 times over the file.
      await client.download({ url, modelId: 'm', chunkSize: 16 * 1024, onProgress: (p) => progress.push(p) });
      const intervals = Math.floor((performance.now() - started) / 100);
      expect(progress.length).toBeLessThanOrEqual(intervals + 2);
      expect(progress.at(-1)).toEqual({ receivedBytes: model.length, totalBytes: model.length });
    } finally {
      close();
    }
  });

  it('keeps what arrived when the connection breaks, persists that checkpoint first, and resumes with a Range', async () => {
    const host = new FakeRangeHost(model, { dropAfter: [300_000] });
    const { client, folder, close } = connect(host);
    let saved: PartState = { storedBytes: 0, chunkCount: 0 };
    const resume = () => ({ state: saved, onCheckpoint: async (state: PartState) => void (saved = state) });
    try {
      const error = await failureOf(client.download({ url, modelId: 'm', chunkSize: 64 * 1024, resume: resume() }));
      expect(error).toBeInstanceOf(DownloadError);
      expect(error).toMatchObject({ code: 'unreachable', resumable: true });
      expect(saved.storedBytes).toBe(300_000); // saved before the failure reached the page
      expect(folder.files.get(FILE)?.length).toBe(300_000);

      const file = await client.download({ url, modelId: 'm', resume: resume() });
      expect(host.log.map((r) => r.range)).toEqual([null, 'bytes=300000-']);
      expect(file.sizeBytes).toBe(model.length);
      expect(Buffer.compare(folder.files.get(FILE)!, model)).toBe(0);
    } finally {
      close();
    }
  });

  it('asks the page whether the engine could run the announced size, and a refusal stores nothing', async () => {
    const host = new FakeRangeHost(model);
    const { client, folder, close } = connect(host);
    const asked: number[] = [];
    try {
      const error = await failureOf(
        client.download({ url, modelId: 'm', refuseSize: async (bytes) => (asked.push(bytes), 'Too big here.') }),
      );
      expect(error).toMatchObject({ code: 'too-large', message: 'Too big here.' });
      expect(asked).toEqual([model.length]);
      expect(host.bytesSent).toBeLessThan(model.length);
      expect(folder.files.has(FILE)).toBe(false);
    } finally {
      close();
    }
  });

  it('stops when the page cancels, and removes the partial file', async () => {
    const { client, folder, close } = connect(new FakeRangeHost(model, { stallAfter: 200_000 }));
    const controller = new AbortController();
    try {
      const error = await failureOf(
        client.download({
          url,
          modelId: 'm',
          signal: controller.signal,
          // The first progress message comes with the first bytes; the host then stalls.
          onProgress: ({ receivedBytes }) => {
            if (receivedBytes > 0) controller.abort();
          },
        }),
      );
      expect(error).toMatchObject({ code: 'aborted' });
      expect(folder.files.has(FILE)).toBe(false);
    } finally {
      close();
    }
  });

  it('turns a full disk into a quota error and removes the partial file', async () => {
    const { client, folder, close } = connect(new FakeRangeHost(model), new FakeModelFolder(200_000));
    try {
      const error = await failureOf(client.download({ url, modelId: 'm', chunkSize: 64 * 1024 }));
      expect(error).toMatchObject({ code: 'quota-exceeded', resumable: false });
      expect(folder.files.has(FILE)).toBe(false);
    } finally {
      close();
    }
  });

  it('checks the checksum of the bytes as they arrive, and refuses a file that does not match', async () => {
    const { client, folder, close } = connect(new FakeRangeHost(model));
    try {
      const error = await failureOf(client.download({ url, modelId: 'm', sha256: '0'.repeat(64) }));
      expect(error).toMatchObject({ code: 'hash-mismatch' });
      expect(folder.files.has(FILE)).toBe(false);
    } finally {
      close();
    }
  });

  it('answers probe, size and remove', async () => {
    const { client, folder, close } = connect(new FakeRangeHost(model));
    try {
      expect(await client.ask<boolean>({ kind: 'probe' })).toBe(true);
      folder.files.set(FILE, new Uint8Array(123));
      expect(await client.ask<number>({ kind: 'size', file: FILE })).toBe(123);
      await client.ask({ kind: 'remove', file: FILE });
      expect(folder.files.size).toBe(0);
    } finally {
      close();
    }
  });
});

describe('a model-file worker that dies or sends what cannot be read', () => {
  /** A download the host stalls after its first bytes, and a promise of those first bytes. */
  function stalledDownload() {
    const { client, workers, close } = connect(new FakeRangeHost(model, { stallAfter: 200_000 }));
    let started: () => void = () => undefined;
    const firstBytes = new Promise<void>((resolve) => (started = resolve));
    const download = failureOf(
      client.download({ url, modelId: 'm', onProgress: ({ receivedBytes }) => receivedBytes > 0 && started() }),
    );
    return { client, workers, close, firstBytes, download };
  }

  it('a crash fails the download under way with a typed error, and the next call starts a fresh worker', async () => {
    const { client, workers, close, firstBytes, download } = stalledDownload();
    try {
      await firstBytes;
      workers[0]!.crash('Uncaught RangeError: Array buffer allocation failed');
      const error = await download;
      expect(error).toBeInstanceOf(DownloadError);
      expect(error).toMatchObject({
        code: 'storage-failed',
        resumable: false,
        message: 'The model file worker stopped: Uncaught RangeError: Array buffer allocation failed',
      });
      expect(workers[0]!.terminated).toBe(true);
      expect(await client.ask<boolean>({ kind: 'probe' })).toBe(true);
      expect(workers).toHaveLength(2);
    } finally {
      close();
    }
  });

  it('a reply that cannot be read fails the download with a clear error, and the worker is replaced', async () => {
    const { client, workers, close, firstBytes, download } = stalledDownload();
    try {
      await firstBytes;
      workers[0]!.sendUnreadable();
      expect(await download).toMatchObject({
        code: 'storage-failed',
        message: 'The model file worker sent a message that could not be read.',
      });
      expect(workers[0]!.terminated).toBe(true);
      expect(await client.ask<boolean>({ kind: 'probe' })).toBe(true);
      expect(workers).toHaveLength(2);
    } finally {
      close();
    }
  });
});
