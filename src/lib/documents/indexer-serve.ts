/**
 * Worker side of the documents protocol: opens the library once and answers every call. Calls
 * run one at a time, in order, so a search never sees half a document and a delete never races
 * an add.
 */
import { assertNever } from '../shared/assert-never';
import type { ServePort } from '../shared/worker-bridge';
import { decodeText } from '../summarize/decode';
import { SummarizeError } from '../summarize/errors';
import { markdownToText } from '../summarize/markdown';
import { DocumentLibrary, LibraryError } from './library';
import type { IndexerCallKind, IndexerCalls, IndexerEvent, IndexerRequest } from './indexer-protocol';

export function serveIndexer(
  port: ServePort<IndexerRequest, IndexerEvent>,
  openLibrary: () => Promise<DocumentLibrary>,
): void {
  let library: Promise<DocumentLibrary> | undefined;
  let queue: Promise<unknown> = Promise.resolve();

  const reply = <K extends IndexerCallKind>(id: number, call: K, result: IndexerCalls[K]['result']) =>
    port.postMessage({ kind: 'result', id, call, result } as IndexerEvent);

  async function answer(request: IndexerRequest): Promise<void> {
    // A library that failed to open is tried again on the next call.
    library ??= openLibrary().catch((error: unknown) => {
      library = undefined;
      throw error;
    });
    const open = await library;
    const { id } = request;
    switch (request.kind) {
      case 'list':
        return reply(id, request.kind, open.list());
      case 'add-text':
        return reply(
          id,
          request.kind,
          await open.add(request.document, (progress) => port.postMessage({ kind: 'progress', id, progress })),
        );
      case 'add-file': {
        port.postMessage({ kind: 'progress', id, progress: { phase: 'reading' } });
        const { file, format } = request;
        const text = decodeText(new Uint8Array(await file.arrayBuffer()), file.name).replace(/\r\n?/g, '\n');
        const document = { name: file.name, kind: format, text: format === 'markdown' ? markdownToText(text) : text };
        return reply(
          id,
          request.kind,
          await open.add(document, (progress) => port.postMessage({ kind: 'progress', id, progress })),
        );
      }
      case 'delete':
        await open.remove(request.documentId);
        return reply(id, request.kind, null);
      case 'search':
        return reply(id, request.kind, await open.search(request));
      case 'open':
        return reply(id, request.kind, await open.open(request.documentId));
      case 'vector-work':
        return reply(id, request.kind, (await open.vectorWork(request.model)) ?? null);
      case 'store-vectors':
        await open.storeVectors(request.documentId, request.model, request.vectors);
        return reply(id, request.kind, null);
      case 'vector-coverage':
        return reply(id, request.kind, open.vectorCoverage(request.model));
      default:
        assertNever(request);
    }
  }

  port.addEventListener('message', ({ data: request }) => {
    queue = queue.then(() =>
      answer(request).catch((error: unknown) => {
        const code = error instanceof SummarizeError || error instanceof LibraryError ? error.code : 'failed';
        const message = error instanceof Error ? error.message : String(error);
        port.postMessage({ kind: 'failed', id: request.id, error: { code, message } });
      }),
    );
  });
}
