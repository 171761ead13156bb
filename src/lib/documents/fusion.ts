/** Reciprocal rank fusion: lists ranked by different measures merged by rank alone. */

/** The usual constant: dampens the weight of the very first ranks. */
export const RRF_K = 60;

export interface FusedHit {
  id: string;
  score: number;
  /** Rank (from 1) in each list the id appeared in, by list position. */
  ranks: (number | undefined)[];
}

export function fuseByReciprocalRank(lists: readonly (readonly string[])[], k = RRF_K): FusedHit[] {
  const fused = new Map<string, FusedHit>();
  lists.forEach((list, which) => {
    list.forEach((id, position) => {
      let hit = fused.get(id);
      if (!hit) {
        hit = { id, score: 0, ranks: lists.map(() => undefined) };
        fused.set(id, hit);
      }
      hit.score += 1 / (k + position + 1);
      hit.ranks[which] = position + 1;
    });
  });
  // Ties keep the first list's order (the lexical one), so results are stable.
  const firstRank = (hit: FusedHit) => hit.ranks.find((rank) => rank !== undefined) ?? Infinity;
  return [...fused.values()].sort((a, b) => b.score - a.score || firstRank(a) - firstRank(b));
}
