/** An answer's text cut into plain runs and citations [n] of the sources it was given. */

export type AnswerPart = { text: string } | { cite: number };

export function splitCitations(answer: string, sourceCount: number): AnswerPart[] {
  const parts: AnswerPart[] = [];
  let from = 0;
  for (const match of answer.matchAll(/\[(\d{1,3})\]/g)) {
    const n = Number(match[1]);
    if (n < 1 || n > sourceCount) continue; // not one of ours: left as written
    if (match.index > from) parts.push({ text: answer.slice(from, match.index) });
    parts.push({ cite: n });
    from = match.index + match[0].length;
  }
  if (from < answer.length) parts.push({ text: answer.slice(from) });
  return parts;
}
