/** Dense passage vectors: normalised once when stored, so similarity is a dot product. */
import { dot } from '../shared/vectors';

export interface VectorHit {
  passageId: string;
  similarity: number;
}

/** The `limit` passages most similar to `query` (normalised), at least `minSimilarity`. */
export function nearestPassages(
  query: Float32Array,
  vectors: Iterable<[string, Float32Array]>,
  limit: number,
  minSimilarity: number,
): VectorHit[] {
  const hits: VectorHit[] = [];
  for (const [passageId, vector] of vectors) {
    const similarity = dot(query, vector);
    if (similarity >= minSimilarity) hits.push({ passageId, similarity });
  }
  return hits.sort((a, b) => b.similarity - a.similarity).slice(0, limit);
}
