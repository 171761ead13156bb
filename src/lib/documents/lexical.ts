/**
 * The BM25 index over every passage of the library (MiniSearch), persisted as JSON so a reload
 * does not re-index. Passage ids are `<documentId>:<index>`; deleting a document discards
 * exactly its passages.
 */
import MiniSearch from 'minisearch';
import { searchTerm } from './terms';

export interface IndexedPassage {
  id: string;
  documentId: string;
  text: string;
  heading: string;
  title: string;
}

export interface LexicalHit {
  passageId: string;
  documentId: string;
  score: number;
}

export const passageId = (documentId: string, index: number): string => `${documentId}:${index}`;

const OPTIONS = {
  idField: 'id',
  fields: ['text', 'heading', 'title'],
  storeFields: ['documentId'],
  // Tokenize on letters and digits of any script; the same term rules for passages and queries.
  tokenize: (text: string) => text.match(/[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu) ?? [],
  processTerm: searchTerm,
  searchOptions: {
    boost: { heading: 1.5, title: 1.2 },
    // "repair" also finds "repaired"; short stems would match too much.
    prefix: (term: string) => term.length >= 5,
    combineWith: 'OR' as const,
  },
};

export class LexicalIndex {
  readonly #search: MiniSearch<IndexedPassage>;

  private constructor(search: MiniSearch<IndexedPassage>) {
    this.#search = search;
  }

  static empty(): LexicalIndex {
    return new LexicalIndex(new MiniSearch<IndexedPassage>(OPTIONS));
  }

  static fromJSON(json: string): LexicalIndex {
    return new LexicalIndex(MiniSearch.loadJSON<IndexedPassage>(json, OPTIONS));
  }

  get size(): number {
    return this.#search.documentCount;
  }

  add(passages: readonly IndexedPassage[]): void {
    this.#search.addAll(passages);
  }

  has(id: string): boolean {
    return this.#search.has(id);
  }

  discard(ids: readonly string[]): void {
    this.#search.discardAll(ids.filter((id) => this.#search.has(id)));
  }

  /** Best first; `documentIds` narrows the search to those documents. */
  search(query: string, limit: number, documentIds?: ReadonlySet<string>): LexicalHit[] {
    const hits = this.#search.search(
      query,
      documentIds ? { filter: (result) => documentIds.has(result['documentId'] as string) } : {},
    );
    return hits.slice(0, limit).map((hit) => ({
      passageId: String(hit.id),
      documentId: hit['documentId'] as string,
      score: hit.score,
    }));
  }

  toJSON(): string {
    return JSON.stringify(this.#search);
  }
}
