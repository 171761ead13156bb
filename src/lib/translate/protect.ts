/**
 * What the model must not touch in a piece of text is swapped for numbered placeholders before
 * the piece is sent, and put back afterwards: inline code, link and image targets, autolinks and
 * bare URLs, e-mail addresses and inline HTML tags. The placeholder looks like an i18n template
 * variable (`{{3}}`), which models are used to leaving alone. Text that already looks like a
 * placeholder is itself protected, so restoring can never mistake the user's text for one.
 */

export interface ProtectedText {
  /** The text with placeholders, as the model sees it. */
  text: string;
  /** Placeholder → the original text it stands for. */
  slots: ReadonlyMap<string, string>;
}

export interface RestoredText {
  text: string;
  /** Originals whose placeholder the model dropped (in the order they appeared). */
  missing: string[];
}

const PLACEHOLDER = /\{\{\d+\}\}/g;

// One alternation, tried left to right at each position; a named group says what matched.
const PROTECTED = new RegExp(
  [
    /(?<code>(`+)[^`][\s\S]*?\2(?!`))/.source, // inline code, any backtick run
    /(?<target>\]\((?:[^()\s]|\([^()\s]*\))*(?:\s+"[^"]*")?\))/.source, // ](url "title")
    /(?<autolink><(?:https?:\/\/|mailto:)[^\s>]+>)/.source,
    /(?<url>\b(?:https?:\/\/|www\.)[^\s<>()[\]]*[^\s<>()[\].,;:!?'"”’])/.source,
    /(?<email>\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b)/.source,
    /(?<tag><\/?[A-Za-z][\w-]*(?:\s[^<>]*)?\/?>)/.source,
    /(?<placeholder>\{\{\d+\}\})/.source,
  ].join('|'),
  'g',
);

/**
 * Replaces protected spans with placeholders numbered from `firstIndex` (numbering can run on
 * across the pieces of one document). A link target becomes `]({{n}})`: the link text stays
 * translatable and the address comes back in place.
 */
export function protect(text: string, firstIndex = 1): ProtectedText {
  const slots = new Map<string, string>();
  let index = firstIndex;
  const out = text.replace(PROTECTED, (match: string, ...rest: unknown[]) => {
    const groups = rest.at(-1) as Record<string, string | undefined>;
    const placeholder = `{{${index++}}}`;
    if (groups.target !== undefined) {
      slots.set(placeholder, match.slice(2, -1));
      return `](${placeholder})`;
    }
    slots.set(placeholder, match);
    return placeholder;
  });
  return { text: out, slots };
}

/**
 * Puts the originals back. A placeholder the model repeated is restored each time; one it
 * dropped is reported as missing; one it invented (not in `slots`) is left as it is.
 */
export function restore(text: string, slots: ReadonlyMap<string, string>): RestoredText {
  const seen = new Set<string>();
  const restored = text.replace(PLACEHOLDER, (placeholder) => {
    const original = slots.get(placeholder);
    if (original === undefined) return placeholder;
    seen.add(placeholder);
    return original;
  });
  const missing = [...slots].filter(([placeholder]) => !seen.has(placeholder)).map(([, original]) => original);
  return { text: restored, missing };
}

/** Placeholders in a text, for counting what a piece carries. */
export function placeholdersIn(text: string): string[] {
  return text.match(PLACEHOLDER) ?? [];
}
