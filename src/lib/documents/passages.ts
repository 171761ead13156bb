/**
 * A document's text cut into passages for retrieval: a passage starts at a heading and ends at a
 * paragraph break, holding whole paragraphs up to a byte budget (a few hundred tokens). A
 * paragraph longer than the budget is cut by the summarize chunker (sentence, then word). A
 * passage that follows another in the same section repeats that one's last sentence when it is
 * short, so a fact told across the break is seen whole once. Offsets point into the text.
 */
import { chunkText } from '../shared/chunk';
import { utf8Length } from '../shared/utf8';

export interface Passage {
  /** Position in the document, from 0. */
  index: number;
  /** `text.slice(start, end)` is the passage. */
  start: number;
  end: number;
  /** The heading of the section it belongs to, if the document has headings. */
  heading?: string;
}

export interface PassageLimits {
  maxBytes: number;
  overlapBytes: number;
}

/** About 300 tokens of English prose (≈ 4 bytes a token), with a sentence or so of overlap. */
export const DEFAULT_PASSAGE_LIMITS: PassageLimits = { maxBytes: 1200, overlapBytes: 160 };

interface Block {
  start: number;
  end: number;
  heading: boolean;
}

const PARAGRAPH_BREAK = /\n[^\S\n]*\n\s*/g;
const MARKDOWN_HEADING = /^#{1,6}[ \t]+\S/;
/** A short single line without closing punctuation, followed by more text: a plain-text title. */
const PLAIN_HEADING = /^[^\n]{1,80}$/;

function blocksOf(text: string): Block[] {
  const blocks: Block[] = [];
  const push = (start: number, end: number) => {
    while (start < end && /\s/.test(text[start]!)) start++;
    while (end > start && /\s/.test(text[end - 1]!)) end--;
    if (end > start) blocks.push({ start, end, heading: false });
  };
  let from = 0;
  PARAGRAPH_BREAK.lastIndex = 0;
  for (let match = PARAGRAPH_BREAK.exec(text); match; match = PARAGRAPH_BREAK.exec(text)) {
    push(from, match.index);
    from = match.index + match[0].length;
  }
  push(from, text.length);
  blocks.forEach((block, i) => {
    const body = text.slice(block.start, block.end);
    block.heading =
      MARKDOWN_HEADING.test(body) ||
      (PLAIN_HEADING.test(body) && !/[.!?:;,…"”)]$/.test(body) && i + 1 < blocks.length && !/^[-*•\d]/.test(body));
  });
  return blocks;
}

const headingText = (text: string, block: Block) =>
  text
    .slice(block.start, block.end)
    .replace(/^#{1,6}[ \t]+/, '')
    .trim();

/** Start of the last sentence in `start..end` if it takes at most `bytes`, else `end`. */
function lastSentenceStart(text: string, start: number, end: number, bytes: number): number {
  const body = text.slice(start, end);
  const ends = [...body.matchAll(/[.!?…]["'”’)\]]*\s+/g)];
  const last = ends.at(-1);
  if (!last || last.index === undefined) return end;
  const from = start + last.index + last[0].length;
  return from < end && utf8Length(text, from, end) <= bytes ? from : end;
}

export function cutPassages(text: string, limits: PassageLimits = DEFAULT_PASSAGE_LIMITS): Passage[] {
  const passages: Passage[] = [];
  let heading: string | undefined;
  let open: { start: number; end: number; bytes: number; onlyHeadings: boolean } | undefined;

  const emit = (start: number, end: number) =>
    passages.push({ index: passages.length, start, end, ...(heading ? { heading } : {}) });
  const flush = () => {
    if (open) emit(open.start, open.end);
    open = undefined;
  };

  for (const block of blocksOf(text)) {
    const bytes = utf8Length(text, block.start, block.end);
    if (block.heading) {
      // A heading opens a passage; headings in a row stay together with what follows them.
      if (!open?.onlyHeadings) {
        flush();
        heading = headingText(text, block);
        open = { start: block.start, end: block.end, bytes, onlyHeadings: true };
      } else {
        heading = headingText(text, block);
        open.end = block.end;
        open.bytes += bytes + 2;
      }
      continue;
    }
    if (bytes > limits.maxBytes) {
      // Headings alone are no passage: the pieces carry the heading instead.
      if (open?.onlyHeadings) open = undefined;
      flush();
      for (const piece of chunkText(text.slice(block.start, block.end), limits)) {
        emit(block.start + piece.start, block.start + piece.end);
      }
      continue;
    }
    if (open && (open.onlyHeadings || open.bytes + 2 + bytes <= limits.maxBytes)) {
      open.end = block.end;
      open.bytes += 2 + bytes;
      open.onlyHeadings = false;
      continue;
    }
    // The paragraph starts a new passage, with the previous one's last sentence when short.
    let start = block.start;
    if (open) {
      start = Math.min(block.start, lastSentenceStart(text, open.start, open.end, limits.overlapBytes));
      flush();
    }
    open = { start, end: block.end, bytes: utf8Length(text, start, block.end), onlyHeadings: false };
  }
  flush();
  return passages;
}
