/**
 * The BM25 index over every passage of the library (MiniSearch), persisted as JSON so a reload
 * does not re-index. Passage ids are `<documentId>:<index>`; deleting a document discards
 * exactly its passages.
 */
import MiniSearch, { type SearchResult } from 'minisearch';
import { searchTerm, searchTerms, words } from './terms';

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
  // The same words and term rules for passages and questions.
  tokenize: words,
  processTerm: searchTerm,
  searchOptions: {
    boost: { heading: 1.5, title: 1.2 },
    // "repair" also finds "repaired"; short stems would match too much.
    prefix: (term: string) => term.length >= 5,
    combineWith: 'OR' as const,
  },
};

/**
 * A term found in at least this share of the passages is left out of a question that has rarer
 * terms. BM25 gives it an idf near zero (log(1 + 0.1/0.9) ≈ 0.1, against ≈ 9 for a term of one
 * passage in 10,000), so it cannot tell passages apart, yet scoring it touches every passage
 * (docs/decisions/0017-bm25-common-terms.md).
 */
const COMMON_TERM_SHARE = 0.9;

/**
 * MiniSearch keeps each term's postings per field but has no public call for a term's document
 * frequency; this is the one place that reads its (protected, typed) `_index`.
 */
interface Postings {
  _index: { get(term: string): Map<number, Map<number, number>> | undefined };
}

function passagesWith(search: MiniSearch<IndexedPassage>, term: string): number {
  let most = 0;
  for (const passages of (search as unknown as Postings)._index.get(term)?.values() ?? []) {
    most = Math.max(most, passages.size);
  }
  return most;
}

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

  /**
   * Best first; `documentIds` narrows the search to those documents. Near-universal terms are
   * left out while the rarer ones find something. When only they match, the passages match them
   * alike, and the least common of them orders the passages (scoring them all would cost a pass
   * over every passage per term, for an order that says as little).
   */
  search(query: string, limit: number, documentIds?: ReadonlySet<string>): LexicalHit[] {
    const common = this.#search.documentCount * COMMON_TERM_SHARE;
    const terms = searchTerms(query).map((term) => ({ term, passages: passagesWith(this.#search, term) }));
    const telling = terms.filter((term) => term.passages < common);
    let hits =
      telling.length > 0
        ? this.#find(
            telling.map(({ term }) => term),
            documentIds,
          )
        : [];
    const leastCommon = terms.filter((term) => term.passages >= common).sort((a, b) => a.passages - b.passages)[0];
    if (hits.length === 0 && leastCommon) hits = this.#find([leastCommon.term], documentIds);
    return hits.slice(0, limit).map((hit) => ({
      passageId: String(hit.id),
      documentId: hit['documentId'] as string,
      score: hit.score,
    }));
  }

  #find(terms: readonly string[], documentIds?: ReadonlySet<string>): SearchResult[] {
    return this.#search.search(terms.join(' '), {
      // They are search terms already.
      processTerm: (term) => term,
      ...(documentIds ? { filter: (result) => documentIds.has(result['documentId'] as string) } : {}),
    });
  }

  toJSON(): string {
    return JSON.stringify(this.#search);
  }
}
