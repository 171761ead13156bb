/**
 * Which remembered facts a message gets: ranked by BM25 against the message with the Documents
 * search's own term rules (MiniSearch, lib/documents/terms), then fitted to the token budget.
 * Facts that share no word with the message come after those that do, newest first, so a short
 * list is given whole when it fits. Loaded with the memory store, after start-up.
 */
import MiniSearch from 'minisearch';
import { searchTerm, words } from '../documents/terms';
import { fitToBudget, type Memory, type RememberedFact } from './memory';

/** The facts for `message`, most relevant first, within `budget` tokens. */
export function factsFor(memories: readonly Memory[], message: string, budget: number): RememberedFact[] {
  if (!memories.length || budget <= 0) return [];
  const index = new MiniSearch<Memory>({ fields: ['text'], tokenize: words, processTerm: searchTerm });
  index.addAll(memories);
  const scores = new Map(
    index.search(message, { prefix: (term) => term.length >= 5, combineWith: 'OR' }).map((hit) => [hit.id, hit.score]),
  );
  const ranked = [...memories].sort(
    (a, b) => (scores.get(b.id) ?? 0) - (scores.get(a.id) ?? 0) || b.updatedAt - a.updatedAt,
  );
  return fitToBudget(
    ranked.map(({ id, text }) => ({ id, text })),
    budget,
  );
}
