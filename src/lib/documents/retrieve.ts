/**
 * lib/documents — questions over the user's own documents: cutting texts into passages, the
 * BM25 index and dense vectors, fusing them, and the prompt with numbered sources. It owns no
 * storage schema beyond its own library database (library-db.ts) and never talks to an engine:
 * vectors come in from the caller, prompts go out to it.
 *
 * This module ranks passages for a question: BM25 (lexical), nearest vectors when the question
 * has one, or both fused by reciprocal rank. A question that shares no search term with any
 * passage finds nothing, whatever the vectors say: mean-pooled vectors of a small chat model rate
 * all prose of one language alike, so on their own they cannot tell "not in the documents". None
 * found means "the documents do not say", and no model is asked. Vectors then bring in passages
 * that say it in other words, and re-rank.
 */
import { fuseByReciprocalRank } from './fusion';
import type { LexicalIndex } from './lexical';
import { nearestPassages } from './vectors';

export type RetrievalMode = 'lexical' | 'vector' | 'fused';

export interface RankedId {
  passageId: string;
  /** 1-based ranks in each list, where the passage appeared in it. */
  lexicalRank?: number;
  vectorRank?: number;
}

export interface RetrievalQuery {
  text: string;
  /** The question's vector, normalised, from the same model as the passages'. */
  vector?: Float32Array;
  documentIds?: ReadonlySet<string>;
  limit: number;
}

/**
 * A vector counts as relevant on its own only when this close (cosine). Mean-pooled vectors of
 * small chat models sit close together, so the bar is high; below it a vector only re-ranks.
 */
export const MIN_VECTOR_SIMILARITY = 0.5;

/** How deep each list is read before fusing. */
const CANDIDATES = 50;

export function rankPassages(
  query: RetrievalQuery,
  lexical: LexicalIndex,
  vectors: () => Iterable<[string, Float32Array]>,
  mode: RetrievalMode = query.vector ? 'fused' : 'lexical',
  minSimilarity = MIN_VECTOR_SIMILARITY,
): RankedId[] {
  const lexicalIds =
    mode === 'vector' ? [] : lexical.search(query.text, CANDIDATES, query.documentIds).map((hit) => hit.passageId);
  if (mode === 'fused' && lexicalIds.length === 0) return [];
  const vectorIds =
    mode !== 'lexical' && query.vector
      ? nearestPassages(query.vector, vectors(), CANDIDATES, minSimilarity).map((hit) => hit.passageId)
      : [];
  return fuseByReciprocalRank([lexicalIds, vectorIds])
    .slice(0, query.limit)
    .map((hit) => ({
      passageId: hit.id,
      ...(hit.ranks[0] ? { lexicalRank: hit.ranks[0] } : {}),
      ...(hit.ranks[1] ? { vectorRank: hit.ranks[1] } : {}),
    }));
}
