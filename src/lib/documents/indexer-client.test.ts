import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { ChannelWorker } from '../shared/testing/channel-worker';
import { IndexerClient, IndexerError } from './indexer-client';
import { serveIndexer } from './indexer-serve';
import { DocumentLibrary } from './library';
import { openLibraryDb } from './library-db';

/**
 * The documents worker's own code over a ChannelWorker: the first worker's library never opens
 * (so its calls stay pending), every later one opens a real library in fake IndexedDB.
 */
function setUp() {
  const factory = new IDBFactory();
  const workers: ChannelWorker[] = [];
  const client = new IndexerClient(() => {
    const first = workers.length === 0;
    const worker = new ChannelWorker((port) =>
      serveIndexer(port, async () =>
        first ? new Promise<DocumentLibrary>(() => undefined) : DocumentLibrary.open(await openLibraryDb(factory)),
      ),
    );
    workers.push(worker);
    return worker;
  });
  return { client, workers };
}

describe('IndexerClient when its worker is lost', () => {
  it('a crash rejects every pending call with an IndexerError, and the next call starts a fresh worker', async () => {
    const { client, workers } = setUp();
    const listing = client.call('list', {});
    const searching = client.call('search', { text: 'ducks', limit: 5 });
    workers[0]!.crash('Uncaught Error: out of memory');
    for (const pending of [listing, searching]) {
      await expect(pending).rejects.toBeInstanceOf(IndexerError);
      await expect(pending).rejects.toMatchObject({
        code: 'failed',
        message: 'The documents worker stopped: Uncaught Error: out of memory',
      });
    }
    expect(workers[0]!.terminated).toBe(true);
    expect(await client.call('list', {})).toEqual([]);
    expect(workers).toHaveLength(2);
  });

  it('a reply that cannot be read rejects the pending calls with a clear error, and the worker is replaced', async () => {
    const { client, workers } = setUp();
    const listing = client.call('list', {});
    workers[0]!.sendUnreadable();
    await expect(listing).rejects.toMatchObject({
      code: 'failed',
      message: 'The documents worker sent a message that could not be read.',
    });
    expect(workers[0]!.terminated).toBe(true);
    expect(await client.call('list', {})).toEqual([]);
    expect(workers).toHaveLength(2);
  });

  it('shutting it down rejects what is pending and ends the worker', async () => {
    const { client, workers } = setUp();
    const listing = client.call('list', {});
    client.dispose();
    await expect(listing).rejects.toMatchObject({ message: 'The documents worker was shut down.' });
    expect(workers[0]!.terminated).toBe(true);
  });
});
