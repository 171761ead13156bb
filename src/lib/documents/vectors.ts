/** Dense passage vectors: normalised once when stored, so similarity is a dot product. */

export function normalise(vector: ArrayLike<number>): Float32Array {
  let norm = 0;
  for (let i = 0; i < vector.length; i++) norm += vector[i]! * vector[i]!;
  norm = Math.sqrt(norm) || 1;
  const out = new Float32Array(vector.length);
  for (let i = 0; i < vector.length; i++) out[i] = vector[i]! / norm;
  return out;
}

export function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) sum += a[i]! * b[i]!;
  return sum;
}

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
