/**
 * The documents library in IndexedDB (`nook-documents`): document records, their texts, their
 * passages, their vectors and the persisted BM25 index, each in its own object store. A document
 * is written, or deleted, with everything that belongs to it in one transaction, so a crash never
 * leaves passages without their document or an index that names a deleted one. Every record
 * carries its schema version; unreadable records are skipped rather than breaking the list.
 */
import type { Passage } from './passages';

/** The summarize extractor's kinds (lib/summarize/extract), named here so the worker realm never
 * type-checks the DOM-bound extractor. */
export type DocumentKind = 'text' | 'markdown' | 'html' | 'pdf';

export const LIBRARY_DB_NAME = 'nook-documents';
export const DOCUMENT_SCHEMA_VERSION = 1;
const DB_VERSION = 1;

export interface DocumentRecord {
  schema: typeof DOCUMENT_SCHEMA_VERSION;
  id: string;
  name: string;
  kind: DocumentKind;
  /** UTF-8 bytes of its text: what it costs in storage (with its passages and index entries). */
  bytes: number;
  chars: number;
  passages: number;
  pages?: number;
  /** Milliseconds since the epoch. */
  addedAt: number;
}

export interface StoredVectors {
  documentId: string;
  /** The model that made them; vectors of another model are not comparable. */
  model: string;
  vectors: Float32Array[];
}

export interface LibrarySnapshot {
  documents: DocumentRecord[];
  passages: Map<string, Passage[]>;
  vectors: Map<string, StoredVectors>;
  indexJson: string | undefined;
}

const STORES = ['documents', 'texts', 'passages', 'vectors', 'index'] as const;
type StoreName = (typeof STORES)[number];
const INDEX_KEY = 'lexical';

const done = (request: IDBRequest): Promise<unknown> =>
  new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
const committed = (tx: IDBTransaction): Promise<void> =>
  new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error ?? new Error('The library could not be saved.'));
  });

export function openLibraryDb(factory: IDBFactory = indexedDB): Promise<IDBDatabase> {
  const open = factory.open(LIBRARY_DB_NAME, DB_VERSION);
  open.onupgradeneeded = () => {
    for (const name of STORES) if (!open.result.objectStoreNames.contains(name)) open.result.createObjectStore(name);
  };
  return done(open) as Promise<IDBDatabase>;
}

export function migrateDocument(value: unknown): DocumentRecord | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Partial<DocumentRecord> & { schema?: number };
  if (record.schema !== DOCUMENT_SCHEMA_VERSION) return undefined; // no older versions exist yet
  if (typeof record.id !== 'string' || typeof record.name !== 'string') return undefined;
  return record as DocumentRecord;
}

async function allOf<T>(tx: IDBTransaction, store: StoreName): Promise<[string, T][]> {
  const objects = tx.objectStore(store);
  const [keys, values] = (await Promise.all([done(objects.getAllKeys()), done(objects.getAll())])) as [string[], T[]];
  return keys.map((key, i) => [key, values[i]!]);
}

export async function readLibrary(db: IDBDatabase): Promise<LibrarySnapshot> {
  const tx = db.transaction(['documents', 'passages', 'vectors', 'index'], 'readonly');
  const [documents, passages, vectors, indexJson] = await Promise.all([
    allOf<unknown>(tx, 'documents'),
    allOf<Passage[]>(tx, 'passages'),
    allOf<StoredVectors>(tx, 'vectors'),
    done(tx.objectStore('index').get(INDEX_KEY)) as Promise<string | undefined>,
  ]);
  const records = documents
    .map(([, value]) => migrateDocument(value))
    .filter((record): record is DocumentRecord => record !== undefined);
  const known = new Set(records.map((record) => record.id));
  return {
    documents: records,
    passages: new Map(passages.filter(([id]) => known.has(id))),
    vectors: new Map(vectors.filter(([id]) => known.has(id))),
    indexJson: typeof indexJson === 'string' ? indexJson : undefined,
  };
}

export async function writeDocument(
  db: IDBDatabase,
  record: DocumentRecord,
  text: string,
  passages: Passage[],
  indexJson: string,
): Promise<void> {
  const tx = db.transaction(['documents', 'texts', 'passages', 'index'], 'readwrite');
  tx.objectStore('documents').put(record, record.id);
  tx.objectStore('texts').put(text, record.id);
  tx.objectStore('passages').put(passages, record.id);
  tx.objectStore('index').put(indexJson, INDEX_KEY);
  await committed(tx);
}

export async function deleteDocument(db: IDBDatabase, id: string, indexJson: string): Promise<void> {
  const tx = db.transaction(STORES, 'readwrite');
  for (const store of ['documents', 'texts', 'passages', 'vectors'] as const) tx.objectStore(store).delete(id);
  tx.objectStore('index').put(indexJson, INDEX_KEY);
  await committed(tx);
}

export async function writeVectors(db: IDBDatabase, vectors: StoredVectors): Promise<void> {
  const tx = db.transaction(['vectors'], 'readwrite');
  tx.objectStore('vectors').put(vectors, vectors.documentId);
  await committed(tx);
}

export async function readText(db: IDBDatabase, id: string): Promise<string | undefined> {
  const tx = db.transaction(['texts'], 'readonly');
  const text = await done(tx.objectStore('texts').get(id));
  return typeof text === 'string' ? text : undefined;
}
