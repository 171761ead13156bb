/**
 * How saved results (summaries, translations, library documents) are named and dated for the user.
 * Apart from format.ts, which the first paint loads: only the job views use these.
 */

/**
 * A source's name as the stem of a file name: its extension off, accents folded, only letters,
 * digits and dashes, lower case, at most 60 characters ("Städtische Notizen.pdf" →
 * "stadtische-notizen"); empty when nothing of it is left.
 */
export function fileNameStem(sourceName: string): string {
  return sourceName
    .replace(/\.[a-z0-9]{1,8}$/i, '')
    .normalize('NFKD')
    .replace(/[^\w\s-]/g, '')
    .trim()
    .replace(/[\s_]+/g, '-')
    .slice(0, 60)
    .toLowerCase();
}

/** When something was saved, as lists of saved things show it: "1 Dec 2026, 15:20" in the user's locale. */
export function formatSavedAt(time: number): string {
  return new Date(time).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}
