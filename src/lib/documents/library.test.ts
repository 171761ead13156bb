import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { IndexerClient, IndexerError } from './indexer-client';
import { DocumentLibrary } from './library';
import { openLibraryDb } from './library-db';
import { serveIndexer } from './indexer-serve';
import { CORPUS } from './testing/corpus';

/** The worker's code on one end of a real MessageChannel, the page's client on the other. */
function connect(factory: IDBFactory) {
  const channel = new MessageChannel();
  serveIndexer(channel.port2 as unknown as Parameters<typeof serveIndexer>[0], async () =>
    DocumentLibrary.open(await openLibraryDb(factory)),
  );
  channel.port2.start();
  const client = new IndexerClient(() => {
    channel.port1.start();
    return Object.assign(channel.port1, { terminate: () => channel.port1.close() }) as unknown as Worker;
  });
  return { client, close: () => channel.port1.close() };
}

async function addCorpus(client: IndexerClient) {
  const records = [];
  for (const document of CORPUS) {
    records.push(
      await client.call('add-text', { document: { name: document.name, kind: 'markdown', text: document.text } }),
    );
  }
  return records;
}

describe('the documents library behind its worker protocol', () => {
  it('indexes with progress, finds the answering passage first, and keeps it all across a restart', async () => {
    const factory = new IDBFactory();
    const first = connect(factory);
    const phases: string[] = [];
    const record = await first.client.call(
      'add-text',
      { document: { name: 'river-council.md', kind: 'markdown', text: CORPUS[2]!.text } },
      (progress) => phases.push(progress.phase),
    );
    expect(phases).toContain('indexing');
    expect(phases.at(-1)).toBe('saving');
    expect(record.passages).toBeGreaterThan(3);
    const [best] = await first.client.call('search', { text: 'Where are the rubber ducks kept?', limit: 5 });
    expect(best?.text).toContain("vicar's garage");
    first.close();

    const second = connect(factory);
    expect((await second.client.call('list', {})).map((doc) => doc.name)).toEqual(['river-council.md']);
    const [again] = await second.client.call('search', { text: 'Where are the rubber ducks kept?', limit: 5 });
    expect(again?.passageId).toBe(best?.passageId);
    second.close();
  });

  it('deleting a document removes its passages and vectors and nothing else', async () => {
    const { client, close } = connect(new IDBFactory());
    const [gull, bread, river] = await addCorpus(client);
    await client.call('store-vectors', { documentId: gull!.id, model: 'm', vectors: [[1, 0]] });
    await client.call('store-vectors', { documentId: bread!.id, model: 'm', vectors: [[0, 1]] });
    await client.call('delete', { documentId: gull!.id });
    expect((await client.call('list', {})).map((doc) => doc.id).sort()).toEqual([bread!.id, river!.id].sort());
    expect(await client.call('search', { text: 'schooner Abigail Pratt lighthouse', limit: 5 })).toEqual([]);
    expect(await client.call('vector-coverage', { model: 'm' })).toEqual([bread!.id]);
    const [loaf] = await client.call('search', { text: 'cast iron pot lid', limit: 5 });
    expect(loaf?.documentId).toBe(bread!.id);
    await expect(client.call('open', { documentId: gull!.id })).rejects.toThrow(/no longer in your library/);
    close();
  });

  it('refuses a document already in the library, and binary or empty files, with the reason', async () => {
    const { client, close } = connect(new IDBFactory());
    await addCorpus(client);
    await expect(
      client.call('add-text', { document: { name: CORPUS[0]!.name, kind: 'markdown', text: CORPUS[0]!.text } }),
    ).rejects.toThrow(/already in your library/);
    const binary = new File([new Uint8Array([0, 1, 2, 3, 0, 0, 7])], 'photo.txt');
    const refused = await client.call('add-file', { file: binary, format: 'text' }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(IndexerError);
    expect((refused as IndexerError).code).toBe('binary-file');
    await expect(client.call('add-file', { file: new File(['  \n'], 'blank.txt'), format: 'text' })).rejects.toThrow(
      /no text/,
    );
    expect(await client.call('list', {})).toHaveLength(3);
    close();
  });
});
