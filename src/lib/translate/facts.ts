/**
 * Checks of a translated piece against its source: the numbers, URLs and names it must still
 * carry, and the shape of its Markdown blocks (headings, list items, table rows). A translation
 * may reformat a number ("1,000.5" → "1 000,5"), so numbers are compared by their digit runs, in
 * any script's digits.
 */

export interface PieceCheck {
  /** Numbers, URLs and names of the source missing from the translation. */
  lost: string[];
  /** The block structure changed (a heading became a paragraph, a table lost a row…). */
  structureChanged: boolean;
}

const NUMBER = /\p{Nd}+(?:[.,:/\u00a0\u202f ]\p{Nd}+)*/gu;
const URL_LIKE = /\b(?:https?:\/\/|www\.)\S+|\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g;
// A capitalized word that does not start a sentence or a line: a name, by a rough rule.
const NAME = /(?<=[\p{Ll},;:] )\p{Lu}[\p{L}\p{M}'’-]*\p{L}/gu;

/**
 * Any decimal digit to ASCII (Arabic-Indic, Devanagari, full-width…). Unicode keeps each script's
 * digits as a run of ten starting at zero (a few runs sit back to back), so a digit's value is its
 * distance from the start of its run, modulo ten.
 */
function asciiDigits(text: string): string {
  return text.replace(/\p{Nd}/gu, (digit) => {
    const code = digit.codePointAt(0)!;
    let first = code;
    while (first > 0 && /\p{Nd}/u.test(String.fromCodePoint(first - 1))) first--;
    return String((code - first) % 10);
  });
}

function digitRuns(text: string): string[] {
  return asciiDigits(text).match(/\d+/g) ?? [];
}

/** What of `source` must appear in the translation: its numbers and URLs, and names when `checkNames`. */
export function factsOf(source: string, checkNames: boolean): string[] {
  const facts = new Set<string>();
  for (const match of source.match(URL_LIKE) ?? []) facts.add(match.replace(/[.,;:!?)'"”’]+$/, ''));
  const withoutUrls = source.replace(URL_LIKE, ' ');
  for (const match of withoutUrls.match(NUMBER) ?? []) facts.add(match);
  if (checkNames) for (const match of withoutUrls.match(NAME) ?? []) facts.add(match);
  return [...facts];
}

export function checkPiece(source: string, translation: string, checkNames: boolean): PieceCheck {
  const outputDigits = new Set(digitRuns(translation));
  const lost = factsOf(source, checkNames).filter((fact) => {
    if (/^\p{Nd}/u.test(fact)) return digitRuns(fact).some((run) => !outputDigits.has(run));
    return !translation.includes(fact);
  });
  return { lost, structureChanged: shapeOf(source) !== shapeOf(translation) };
}

/**
 * The shape of a piece's blocks, one word each: "h2", "ul3" (three items), "table4x3" (four
 * rows, three cells), "quote", "p". A reflowed paragraph keeps its shape.
 */
export function shapeOf(markdown: string): string {
  return markdown
    .trim()
    .split(/\n[^\S\n]*\n\s*/)
    .filter((block) => /\S/.test(block))
    .map(blockShape)
    .join(' ');
}

function blockShape(block: string): string {
  const lines = block.split('\n').filter((line) => /\S/.test(line));
  const first = lines[0]!;
  const heading = /^ {0,3}(#{1,6})\s/.exec(first);
  if (heading) return `h${heading[1]!.length}${lines.length > 1 ? `+${blockShape(lines.slice(1).join('\n'))}` : ''}`;
  if (lines.every((line) => /\|/.test(line)) && lines.length > 1) {
    const cells = (line: string) =>
      line
        .trim()
        .replace(/^\||\|$/g, '')
        .split('|').length;
    return `table${lines.length}x${cells(first)}`;
  }
  const items = lines.filter((line) => /^\s{0,3}(?:[-*+]|\d+[.)])\s/.test(line)).length;
  if (items > 0) return `${/^\s*\d/.test(first) ? 'ol' : 'ul'}${items}`;
  if (/^\s*>/.test(first)) return 'quote';
  return 'p';
}
