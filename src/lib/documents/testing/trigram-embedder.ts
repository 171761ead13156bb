/**
 * A stand-in embedder for unit tests, named as one: hashed character trigrams of the search
 * terms, not a neural model. It is a real (if crude) dense representation, so vector search and
 * fusion can be measured in Node; the browser uses the loaded model's own embeddings.
 */
import { searchTerms } from '../terms';

export const TRIGRAM_DIMENSIONS = 512;

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

export function embedWithTrigrams(text: string): Float32Array {
  const vector = new Float32Array(TRIGRAM_DIMENSIONS);
  for (const term of searchTerms(text)) {
    const padded = ` ${term} `;
    for (let i = 0; i + 3 <= padded.length; i++) vector[hash(padded.slice(i, i + 3)) % TRIGRAM_DIMENSIONS]! += 1;
  }
  return vector;
}
