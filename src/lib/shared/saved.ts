/**
 * How what Nook saves for the user (summaries, translations, exported conversations) is named and
 * dated.
 */

/**
 * Text as a piece of a file name, by one rule for every file Nook saves: accents folded, each run
 * of anything but letters and digits one dash, lower case, at most `maxLength` characters
 * ("Städtische Notizen (Entwurf)" → "stadtische-notizen-entwurf"); empty when nothing is left.
 */
export function slug(text: string, maxLength = 60): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+/, '')
    .slice(0, maxLength)
    .replace(/-+$/, '');
}

/** A source's name as the stem of a file name: its extension off, then {@link slug}. */
export const fileNameStem = (sourceName: string): string => slug(sourceName.replace(/\.[a-z0-9]{1,8}$/i, ''));

/** "Trip plans" → "nook-trip-plans-2026-11-22.json" */
export function exportFileName(title: string, extension: string, now = new Date()): string {
  return `nook-${slug(title) || 'conversations'}-${now.toISOString().slice(0, 10)}.${extension}`;
}

/** When something was saved, as lists of saved things show it: "1 Dec 2026, 15:20" in the user's locale. */
export function formatSavedAt(time: number): string {
  return new Date(time).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}
