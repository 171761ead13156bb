import { describe, expect, it } from 'vitest';
import { DownloadError } from '../../lib/models/download-error';
import type { ModelFetch, ModelFetchProgress } from '../../lib/models/fetch-model';
import type { StoredModel } from '../../lib/models/storage';
import { DownloadTitle } from '../../lib/models/download-title';
import { FakeTab } from '../../lib/models/testing/fake-tab';
import { DownloadsState } from './downloads.svelte';

const model = { id: 'm', name: 'Tiny', backend: 'wllama' } as StoredModel;

/** A fetch the test drives by hand: progress when it says, then done or failed. */
function manualFetch() {
  let report: (progress: ModelFetchProgress) => void = () => undefined;
  let settle: { resolve: (m: StoredModel) => void; reject: (e: unknown) => void } | undefined;
  let signal: AbortSignal | undefined;
  const fetch: ModelFetch = {
    name: 'Tiny',
    url: 'http://127.0.0.1/tiny.gguf',
    backend: 'wllama',
    start: { receivedBytes: 10, totalBytes: 100, fraction: undefined },
    run: (given, onProgress) => {
      signal = given;
      report = onProgress;
      return new Promise((resolve, reject) => {
        settle = { resolve, reject };
        given.addEventListener('abort', () => reject(new DownloadError('aborted', 'cancelled')));
      });
    },
  };
  return {
    fetch,
    progress: (p: ModelFetchProgress) => report(p),
    done: () => settle?.resolve(model),
    fail: (error: unknown) => settle?.reject(error),
    signal: () => signal,
  };
}

describe('DownloadsState (one download at a time, its progress and its error)', () => {
  it('shows where a download starts and how far it got, then clears when it is stored', async () => {
    const downloads = new DownloadsState();
    const manual = manualFetch();
    const running = downloads.run(manual.fetch);
    expect(downloads.active).toMatchObject({ name: 'Tiny', receivedBytes: 10, totalBytes: 100 });
    manual.progress({ receivedBytes: 60, totalBytes: 100, fraction: 0.6 });
    expect(downloads.active).toMatchObject({ receivedBytes: 60, fraction: 0.6 });
    manual.done();
    expect(await running).toBe(model);
    expect(downloads.active).toBeUndefined();
    expect(downloads.error).toBeUndefined();
  });

  it("tells the download's size once, as soon as the server's answer gives it", async () => {
    const downloads = new DownloadsState();
    const manual = manualFetch();
    manual.fetch.start = { receivedBytes: 0, totalBytes: undefined, fraction: undefined };
    const sized: number[] = [];
    const running = downloads.run(manual.fetch, { sized: (bytes) => sized.push(bytes) });
    manual.progress({ receivedBytes: 0, totalBytes: undefined, fraction: undefined });
    expect(sized).toEqual([]);
    manual.progress({ receivedBytes: 5, totalBytes: 500, fraction: 0.01 });
    manual.progress({ receivedBytes: 50, totalBytes: 500, fraction: 0.1 });
    expect(sized).toEqual([500]);
    manual.done();
    await running;
  });

  it("puts the download's percent in the tab title, and news of how it ended on a hidden page", async () => {
    const tab = new FakeTab();
    const downloads = new DownloadsState(undefined, new DownloadTitle(tab));
    const manual = manualFetch();
    const running = downloads.run(manual.fetch);
    expect(tab.title).toBe('10% · Nook');
    manual.progress({ receivedBytes: 60, totalBytes: 100, fraction: 0.6 });
    expect(tab.title).toBe('60% · Nook');
    tab.setVisible(false);
    manual.done();
    await running;
    expect(tab.title).toBe('Model ready · Nook');
    tab.setVisible(true);
    expect(tab.title).toBe('Nook');

    const failing = manualFetch();
    const failed = downloads.run(failing.fetch);
    tab.setVisible(false);
    failing.fail(new DownloadError('unreachable', 'The model host could not be reached.', true));
    await failed;
    expect(tab.title).toBe('Download stopped · Nook');

    tab.setVisible(true);
    const cancelled = downloads.run(manualFetch().fetch);
    tab.setVisible(false);
    downloads.cancel();
    await cancelled;
    expect(tab.title).toBe('Nook');
  });

  it('refuses a second download while one runs', async () => {
    const downloads = new DownloadsState();
    const first = manualFetch();
    const running = downloads.run(first.fetch);
    expect(await downloads.run(manualFetch().fetch)).toBeUndefined();
    first.done();
    expect(await running).toBe(model);
  });

  it('treats a cancel as no failure', async () => {
    const downloads = new DownloadsState();
    const manual = manualFetch();
    const running = downloads.run(manual.fetch);
    downloads.cancel();
    expect(manual.signal()?.aborted).toBe(true);
    expect(await running).toBeUndefined();
    expect(downloads.active).toBeUndefined();
    expect(downloads.error).toBeUndefined();
  });

  it('says a broken connection can be resumed, and clears the error with the next download', async () => {
    const downloads = new DownloadsState();
    const manual = manualFetch();
    const running = downloads.run(manual.fetch);
    manual.fail(new DownloadError('unreachable', 'The model host could not be reached.', true));
    expect(await running).toBeUndefined();
    expect(downloads.error).toBe(
      'The model host could not be reached. What arrived is kept: press Resume to go on from there.',
    );
    const next = manualFetch();
    const again = downloads.run(next.fetch);
    expect(downloads.error).toBeUndefined();
    next.done();
    await again;
  });

  it('leaves a failure told elsewhere (a lost engine) out of its own error', async () => {
    const downloads = new DownloadsState();
    const manual = manualFetch();
    const running = downloads.run(manual.fetch, { toldElsewhere: () => true });
    manual.fail(new Error('device lost'));
    expect(await running).toBeUndefined();
    expect(downloads.error).toBeUndefined();
  });

  describe('when the data may cost the user (Data Saver, mobile data)', () => {
    const saver = () => ({ saveData: true });

    it('asks before a byte is fetched, and downloads once the user says so', async () => {
      const downloads = new DownloadsState(saver);
      const manual = manualFetch();
      const sized: number[] = [];
      const running = downloads.run(manual.fetch, { sized: (bytes) => sized.push(bytes) });
      expect(downloads.askFirst.question).toEqual({
        name: 'Tiny',
        text: 'Data Saver is on. Tiny is a 90 B download. Download it now, or wait for Wi-Fi?',
      });
      expect(downloads.busy).toBe(true);
      expect(downloads.active).toBeUndefined();
      expect(manual.signal()).toBeUndefined();
      // Nothing runs alongside a download the user has not agreed to (the code warm-up).
      expect(sized).toEqual([]);
      // Nothing else starts while the question waits.
      expect(await downloads.run(manualFetch().fetch)).toBeUndefined();

      downloads.askFirst.answer(true);
      expect(downloads.askFirst.question).toBeUndefined();
      await Promise.resolve();
      expect(manual.signal()).toBeDefined();
      expect(downloads.active).toMatchObject({ name: 'Tiny', receivedBytes: 10 });
      expect(sized).toEqual([100]);
      manual.progress({ receivedBytes: 60, totalBytes: 100, fraction: 0.6 });
      expect(sized).toEqual([100]);
      manual.done();
      expect(await running).toBe(model);
    });

    it('fetches nothing and shows no error when the user says not now', async () => {
      const downloads = new DownloadsState(saver);
      const manual = manualFetch();
      let declined = 0;
      let sized = 0;
      const running = downloads.run(manual.fetch, { declined: () => void declined++, sized: () => void sized++ });
      downloads.askFirst.answer(false);
      expect(await running).toBeUndefined();
      expect(sized).toBe(0);
      expect(manual.signal()).toBeUndefined();
      expect(declined).toBe(1);
      expect(downloads.busy).toBe(false);
      expect(downloads.error).toBeUndefined();
    });

    it("gives the catalog's size where the fetch does not know it yet", async () => {
      const downloads = new DownloadsState(() => ({ type: 'cellular' }));
      const manual = manualFetch();
      manual.fetch.start = { receivedBytes: 0, totalBytes: undefined, fraction: undefined };
      const running = downloads.run(manual.fetch, { estimatedBytes: 386_000_000 });
      expect(downloads.askFirst.question?.text).toBe(
        'This device is on mobile data. Tiny is a 386 MB download. Download it now, or wait for Wi-Fi?',
      );
      downloads.askFirst.answer(false);
      await running;
    });

    it('does not ask on other connections', () => {
      const downloads = new DownloadsState(() => ({ saveData: false, type: 'wifi' }));
      void downloads.run(manualFetch().fetch);
      expect(downloads.askFirst.question).toBeUndefined();
      expect(downloads.active).toMatchObject({ name: 'Tiny' });
    });
  });
});
