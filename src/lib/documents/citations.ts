/** Citations [n] in an answer, made links to the sources it was given. */

/** Where a citation link in a rendered reply points: `#cite-<n>` (the reply handles the click). */
export const CITE_PREFIX = '#cite-';

/**
 * An answer's Markdown with each citation [n] of its `sourceCount` sources made a link to
 * `#cite-n`, outside code (fenced blocks and inline spans stay as written) and not where [n]
 * already opens a link of its own ("[1](…)", "[1][label]", "[1]: …"). Citations side by side,
 * "[1][2]", are each linked.
 */
export function linkCitations(markdown: string, sourceCount: number): string {
  if (sourceCount === 0) return markdown;
  return markdown
    .split(/(```[\s\S]*?(?:```|$)|`[^`\n]*`)/)
    .map((part, i) =>
      i % 2 === 1
        ? part
        : part.replace(/\[(\d{1,3})\](?![(:]|\[(?!\d{1,3}\]))/g, (whole, digits: string) => {
            const n = Number(digits);
            return n >= 1 && n <= sourceCount ? `[\\[${n}\\]](${CITE_PREFIX}${n} "Source ${n}")` : whole;
          }),
    )
    .join('');
}
