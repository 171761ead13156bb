/**
 * The library as the indexing worker holds it: records, passages (offsets), vectors and the BM25
 * index in memory, texts read from IndexedDB when a passage is shown. Adding cuts and indexes in
 * batches, reporting progress between them; every change is saved before it is reported done.
 */
import { utf8Length } from '../shared/utf8';
import { LexicalIndex, passageId, type IndexedPassage } from './lexical';
import {
  deleteDocument,
  DOCUMENT_SCHEMA_VERSION,
  readLibrary,
  readText,
  writeDocument,
  writeVectors,
  type DocumentKind,
  type DocumentRecord,
  type StoredVectors,
} from './library-db';
import { cutPassages, DEFAULT_PASSAGE_LIMITS, type Passage } from './passages';
import { rankPassages } from './retrieve';
import { normalise } from '../shared/vectors';

export interface NewDocument {
  name: string;
  kind: DocumentKind;
  text: string;
  pages?: number;
}

export interface IndexingProgress {
  phase: 'reading' | 'cutting' | 'indexing' | 'saving';
  /** Passages indexed so far, of `total`, in the 'indexing' phase. */
  done?: number;
  total?: number;
}

export interface FoundPassage {
  passageId: string;
  documentId: string;
  documentName: string;
  index: number;
  heading?: string;
  text: string;
  lexicalRank?: number;
  vectorRank?: number;
}

export interface OpenedDocument {
  record: DocumentRecord;
  text: string;
  passages: Passage[];
}

/** Passages of one document still lacking a vector from `model`. */
export interface VectorWork {
  documentId: string;
  texts: string[];
}

export class LibraryError extends Error {
  override name = 'LibraryError';
  constructor(
    readonly code: 'duplicate' | 'not-found' | 'empty',
    message: string,
  ) {
    super(message);
  }
}

const BATCH = 400;

export class DocumentLibrary {
  readonly #db: IDBDatabase;
  readonly #records = new Map<string, DocumentRecord>();
  readonly #passages: Map<string, Passage[]>;
  readonly #vectors: Map<string, StoredVectors>;
  #lexical: LexicalIndex;
  /** Texts of documents whose passages were shown lately. */
  readonly #texts = new Map<string, string>();

  private constructor(db: IDBDatabase, snapshot: Awaited<ReturnType<typeof readLibrary>>, lexical: LexicalIndex) {
    this.#db = db;
    for (const record of snapshot.documents) this.#records.set(record.id, record);
    this.#passages = snapshot.passages;
    this.#vectors = snapshot.vectors;
    this.#lexical = lexical;
  }

  static async open(db: IDBDatabase): Promise<DocumentLibrary> {
    const snapshot = await readLibrary(db);
    let lexical: LexicalIndex | undefined;
    try {
      lexical = snapshot.indexJson ? LexicalIndex.fromJSON(snapshot.indexJson) : undefined;
    } catch (error) {
      console.warn('The documents index could not be read; it is built again.', error);
    }
    const library = new DocumentLibrary(db, snapshot, lexical ?? LexicalIndex.empty());
    // An index that does not match the records (none saved, or unreadable) is rebuilt from them.
    const expected = [...snapshot.passages.values()].reduce((sum, passages) => sum + passages.length, 0);
    if (!lexical || lexical.size !== expected) await library.#rebuildIndex();
    return library;
  }

  list(): DocumentRecord[] {
    return [...this.#records.values()].sort((a, b) => b.addedAt - a.addedAt);
  }

  async add(input: NewDocument, onProgress: (progress: IndexingProgress) => void): Promise<DocumentRecord> {
    if (!/\S/.test(input.text)) throw new LibraryError('empty', `“${input.name}” has no text to index.`);
    for (const record of this.#records.values()) {
      if (record.name === input.name && record.chars === input.text.length) {
        throw new LibraryError('duplicate', `“${input.name}” is already in your library.`);
      }
    }
    onProgress({ phase: 'cutting' });
    const passages = cutPassages(input.text, DEFAULT_PASSAGE_LIMITS);
    const id = crypto.randomUUID();
    const indexed = passages.map((passage) => this.#indexed(id, input.name, input.text, passage));
    for (let done = 0; done < indexed.length; done += BATCH) {
      onProgress({ phase: 'indexing', done, total: indexed.length });
      this.#lexical.add(indexed.slice(done, done + BATCH));
      // Let an abort or a search in between be heard.
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    onProgress({ phase: 'indexing', done: indexed.length, total: indexed.length });
    const record: DocumentRecord = {
      schema: DOCUMENT_SCHEMA_VERSION,
      id,
      name: input.name,
      kind: input.kind,
      bytes: utf8Length(input.text),
      chars: input.text.length,
      passages: passages.length,
      ...(input.pages ? { pages: input.pages } : {}),
      addedAt: Date.now(),
    };
    onProgress({ phase: 'saving' });
    try {
      await writeDocument(this.#db, record, input.text, passages, this.#lexical.toJSON());
    } catch (error) {
      this.#lexical.discard(indexed.map((passage) => passage.id));
      throw error;
    }
    this.#records.set(id, record);
    this.#passages.set(id, passages);
    this.#texts.set(id, input.text);
    return record;
  }

  async remove(id: string): Promise<void> {
    const passages = this.#passages.get(id) ?? [];
    const ids = passages.map((passage) => passageId(id, passage.index));
    this.#lexical.discard(ids);
    await deleteDocument(this.#db, id, this.#lexical.toJSON());
    this.#records.delete(id);
    this.#passages.delete(id);
    this.#vectors.delete(id);
    this.#texts.delete(id);
  }

  async open(id: string): Promise<OpenedDocument> {
    const record = this.#records.get(id);
    const text = record && (await this.#text(id));
    if (!record || text === undefined)
      throw new LibraryError('not-found', 'This document is no longer in your library.');
    return { record, text, passages: this.#passages.get(id) ?? [] };
  }

  /**
   * Best passages first. `vector` (from `model`) joins the ranking where the documents searched
   * have vectors of that model.
   */
  async search(query: {
    text: string;
    limit: number;
    documentIds?: string[];
    vector?: number[];
    model?: string;
  }): Promise<FoundPassage[]> {
    const documentIds = query.documentIds ? new Set(query.documentIds) : undefined;
    const ranked = rankPassages(
      {
        text: query.text,
        limit: query.limit,
        ...(documentIds ? { documentIds } : {}),
        ...(query.vector ? { vector: normalise(query.vector) } : {}),
      },
      this.#lexical,
      () => this.#vectorsOf(query.model, documentIds),
    );
    const found: FoundPassage[] = [];
    for (const hit of ranked) {
      const [documentId, index] = splitPassageId(hit.passageId);
      const record = this.#records.get(documentId);
      const passage = this.#passages.get(documentId)?.[index];
      const text = record && (await this.#text(documentId));
      if (!record || !passage || text === undefined) continue;
      found.push({
        passageId: hit.passageId,
        documentId,
        documentName: record.name,
        index,
        ...(passage.heading ? { heading: passage.heading } : {}),
        text: text.slice(passage.start, passage.end),
        ...(hit.lexicalRank ? { lexicalRank: hit.lexicalRank } : {}),
        ...(hit.vectorRank ? { vectorRank: hit.vectorRank } : {}),
      });
    }
    return found;
  }

  /** What still needs vectors from `model`, one document at a time. */
  async vectorWork(model: string): Promise<VectorWork | undefined> {
    for (const record of this.list()) {
      if (this.#vectors.get(record.id)?.model === model) continue;
      const text = await this.#text(record.id);
      const passages = this.#passages.get(record.id) ?? [];
      if (text === undefined) continue;
      return {
        documentId: record.id,
        texts: passages.map((passage) => text.slice(passage.start, passage.end)),
      };
    }
    return undefined;
  }

  async storeVectors(documentId: string, model: string, vectors: number[][]): Promise<void> {
    if (!this.#records.has(documentId)) return; // deleted meanwhile
    const stored: StoredVectors = { documentId, model, vectors: vectors.map((vector) => normalise(vector)) };
    await writeVectors(this.#db, stored);
    this.#vectors.set(documentId, stored);
  }

  /** Which documents have vectors of `model`. */
  vectorCoverage(model: string): string[] {
    return [...this.#vectors.values()].filter((entry) => entry.model === model).map((entry) => entry.documentId);
  }

  *#vectorsOf(
    model: string | undefined,
    documentIds: ReadonlySet<string> | undefined,
  ): Iterable<[string, Float32Array]> {
    if (!model) return;
    for (const entry of this.#vectors.values()) {
      if (entry.model !== model || (documentIds && !documentIds.has(entry.documentId))) continue;
      for (let i = 0; i < entry.vectors.length; i++) yield [passageId(entry.documentId, i), entry.vectors[i]!];
    }
  }

  async #text(id: string): Promise<string | undefined> {
    const cached = this.#texts.get(id);
    if (cached !== undefined) return cached;
    const text = await readText(this.#db, id);
    if (text !== undefined) {
      if (this.#texts.size > 32) this.#texts.delete(this.#texts.keys().next().value!);
      this.#texts.set(id, text);
    }
    return text;
  }

  #indexed(documentId: string, name: string, text: string, passage: Passage): IndexedPassage {
    return {
      id: passageId(documentId, passage.index),
      documentId,
      text: text.slice(passage.start, passage.end),
      heading: passage.heading ?? '',
      title: name,
    };
  }

  async #rebuildIndex(): Promise<void> {
    const lexical = LexicalIndex.empty();
    for (const record of this.#records.values()) {
      const text = await this.#text(record.id);
      if (text === undefined) continue;
      lexical.add(
        (this.#passages.get(record.id) ?? []).map((passage) => this.#indexed(record.id, record.name, text, passage)),
      );
    }
    this.#lexical = lexical;
  }
}

function splitPassageId(id: string): [string, number] {
  const colon = id.lastIndexOf(':');
  return [id.slice(0, colon), Number(id.slice(colon + 1))];
}
