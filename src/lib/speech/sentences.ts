/**
 * Read-aloud text: markdown turned into what a voice should say, cut into sentences so reading
 * can start while a reply is still streaming. Sentence ends come from `Intl.Segmenter`.
 */

/** Markdown to plain speech: code blocks named rather than spelled out, marks and link targets dropped. */
export function speakableText(markdown: string): string {
  return markdown
    .replace(/```[^\n]*\n[\s\S]*?(```|$)/g, '\n(code)\n')
    .replace(/`([^`]*)`/g, '$1')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/^\s{0,3}(#{1,6}|>|[-*+]|\d+[.)])\s+/gm, '')
    .replace(/(\*\*|__|\*|_|~~)(?=\S)([^*_~\n]+?)\1/g, '$2')
    .replace(/\|/g, ' ')
    .replace(/[ \t]+/g, ' ');
}

const segmenters = new Map<string, Intl.Segmenter>();
const segmenter = (lang: string | undefined) => {
  const key = lang ?? '';
  let found = segmenters.get(key);
  if (!found) segmenters.set(key, (found = new Intl.Segmenter(lang, { granularity: 'sentence' })));
  return found;
};

/**
 * The sentences of `text` from `from` on that are complete: every one but the last, unless the
 * text is final. Returns where the next call should start. Blank sentences are skipped.
 */
export function takeSentences(
  text: string,
  from: number,
  final: boolean,
  lang?: string,
): { sentences: string[]; next: number } {
  const rest = text.slice(from);
  const segments = Array.from(segmenter(lang).segment(rest));
  const complete = final ? segments : segments.slice(0, -1);
  // A sentence ends where the next begins; the last one of a growing text may still grow.
  const sentences = complete.map((s) => s.segment.trim()).filter((s) => /[\p{L}\p{N}]/u.test(s));
  const consumed = complete.reduce((sum, s) => sum + s.segment.length, 0);
  return { sentences, next: from + consumed };
}
