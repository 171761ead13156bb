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

/** Where a citation link in a rendered reply points: `#cite-<n>` (the reply handles the click). */
export const CITE_PREFIX = '#cite-';

/**
 * A reply's Markdown with each citation [n] of its `sourceCount` sources made a link to
 * `#cite-n`, outside code (fenced blocks and inline spans stay as written) and not where [n]
 * already opens a link of its own ("[1](…)", "[1][…]", "[1]: …").
 */
export function linkCitations(markdown: string, sourceCount: number): string {
  if (sourceCount === 0) return markdown;
  return markdown
    .split(/(```[\s\S]*?(?:```|$)|`[^`\n]*`)/)
    .map((part, i) =>
      i % 2 === 1
        ? part
        : part.replace(/\[(\d{1,3})\](?![([:])/g, (whole, digits: string) => {
            const n = Number(digits);
            return n >= 1 && n <= sourceCount ? `[\\[${n}\\]](${CITE_PREFIX}${n} "Source ${n}")` : whole;
          }),
    )
    .join('');
}
