/**
 * How words become search terms, the same for passages and questions: lower case, accents
 * folded, common English function words dropped (they match everything and so prove nothing),
 * and a light plural/possessive strip so "bridges" finds "bridge".
 */

const STOP_WORDS = new Set(
  (
    'a an and are as at be been but by can could did do does for from had has have he her him his how i if in into ' +
    'is it its me my no not of on or our she so than that the their them then there these they this those to ' +
    'us was we were what when where which who whom why will with would you your about after before did does ' +
    'said say says tell told any some all also which while'
  ).split(' '),
);

export function searchTerm(word: string): string | null {
  const term = word
    .toLowerCase()
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/['’]s$/, '');
  if (term.length < 2 || STOP_WORDS.has(term)) return null;
  if (term.length > 4 && term.endsWith('ies')) return `${term.slice(0, -3)}y`;
  if (term.length > 3 && term.endsWith('s') && !term.endsWith('ss') && !term.endsWith('us')) return term.slice(0, -1);
  return term;
}

/** The words of a text: letters and digits of any script, with an apostrophe's ending kept. */
export function words(text: string): string[] {
  return text.match(/[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu) ?? [];
}

/** The search terms of a text, in order (duplicates kept). */
export function searchTerms(text: string): string[] {
  return words(text)
    .map(searchTerm)
    .filter((term): term is string => term !== null);
}
