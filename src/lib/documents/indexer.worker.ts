/// <reference lib="webworker" />
/** Entry of the documents worker: the library (cutting, BM25, vectors, IndexedDB) off the page. */
import { DocumentLibrary } from './library';
import { openLibraryDb } from './library-db';
import { serveIndexer } from './indexer-serve';

serveIndexer(self, async () => DocumentLibrary.open(await openLibraryDb()));
