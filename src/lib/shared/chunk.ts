/**
 * Splits a long text into pieces that each fit a byte budget (the caller turns its token budget
 * into bytes with a {@link TokenEstimator}). A piece ends at the last paragraph break in its
 * second half, else at the last sentence end there, else at the last space, else — for
 * pathological input such as one endless word — at the budget itself (never inside a surrogate
 * pair). Consecutive pieces overlap by a little text, snapped to a sentence or word start, so a
 * fact cut in two is seen whole at least once. Linear in the text's length.
 */
import { splitsSurrogatePair, utf8Width } from './utf8';

export interface ChunkLimits {
  /** No piece is longer than this in UTF-8 bytes. At least 4, so any code point fits. */
  maxBytes: number;
  /** Text repeated from the end of one piece at the start of the next; at most maxBytes / 4. */
  overlapBytes: number;
}

export interface Chunk {
  text: string;
  /** Offsets into the source text: `text === source.slice(start, end)`. */
  start: number;
  end: number;
}

const PARAGRAPH_BREAK = /\n[^\S\n]*\n\s*/g;
// A sentence ends with . ! ? … (then closing quotes or brackets, then space), with CJK full stops
// (no space needed), or at a line break.
const SENTENCE_END = /[.!?…]["'”’)\]]*\s+|[。！？][」』”’)\]]*\s*|\n\s*/g;
const WORD_BREAK = /\s+|[，、；：]/g;

export function* chunkText(text: string, limits: ChunkLimits): Generator<Chunk> {
  const maxBytes = Math.max(4, Math.floor(limits.maxBytes));
  const overlapBytes = Math.max(0, Math.min(Math.floor(limits.overlapBytes), Math.floor(maxBytes / 4)));
  let start = 0;
  let previousEnd = 0;
  while (start < text.length) {
    const limit = longestFit(text, start, maxBytes);
    const end = limit >= text.length ? text.length : bestCut(text, start, limit, previousEnd);
    yield { text: text.slice(start, end), start, end };
    if (end >= text.length) return;
    start = nextStart(text, start, end, overlapBytes);
    previousEnd = end;
  }
}

/** Collects every piece; fine for tests and short texts (the pipeline iterates lazily). */
export function splitText(text: string, limits: ChunkLimits): Chunk[] {
  return [...chunkText(text, limits)];
}

/** The end of the longest run from `start` that fits `maxBytes` (always at least one code point). */
function longestFit(text: string, start: number, maxBytes: number): number {
  let end = start;
  let bytes = 0;
  while (end < text.length) {
    const width = utf8Width(text, end);
    if (bytes + width > maxBytes) break;
    bytes += width;
    end++;
  }
  if (splitsSurrogatePair(text, end)) end++; // the low half costs nothing: it was counted with the high one
  return Math.max(end, start + 1);
}

/**
 * The best place to end a piece that starts at `start` and may run up to `limit`; past
 * `previousEnd`, so a piece that begins in the overlap always brings new text.
 */
function bestCut(text: string, start: number, limit: number, previousEnd: number): number {
  const window = text.slice(start, limit);
  const fresh = Math.max(1, previousEnd - start + 1);
  const half = Math.max(fresh, Math.floor(window.length / 2));
  const cut =
    lastMatchEnd(window, PARAGRAPH_BREAK, half) ??
    lastMatchEnd(window, SENTENCE_END, half) ??
    lastMatchEnd(window, WORD_BREAK, fresh);
  if (cut !== undefined) return start + cut;
  return splitsSurrogatePair(text, limit) ? limit - 1 : limit;
}

/** End offset of the last match of `pattern` in `window` that ends at or after `minEnd`. */
function lastMatchEnd(window: string, pattern: RegExp, minEnd: number): number | undefined {
  let found: number | undefined;
  pattern.lastIndex = 0;
  for (let match = pattern.exec(window); match; match = pattern.exec(window)) {
    const end = match.index + match[0].length;
    if (end >= minEnd) found = end;
    if (match[0].length === 0) pattern.lastIndex++;
  }
  return found;
}

/**
 * Where the next piece starts: `overlapBytes` back from `end`, moved forward to the start of a
 * sentence or word. The overlap never takes more than half of the piece, so every step advances.
 */
function nextStart(text: string, start: number, end: number, overlapBytes: number): number {
  if (overlapBytes === 0) return end;
  let from = end;
  let bytes = 0;
  while (from > start) {
    const width = utf8Width(text, from - 1);
    if (bytes + width > overlapBytes) break;
    bytes += width;
    from--;
  }
  if (splitsSurrogatePair(text, from)) from++;
  const atWordStart = /\s/.test(text[from - 1] ?? ' ') && /\S/.test(text[from] ?? ' ');
  if (!atWordStart) {
    // Start at the next sentence, else the next word; text without spaces keeps the raw cut.
    const tail = text.slice(from, end);
    const sentence = firstMatchEnd(tail, SENTENCE_END);
    const snap = sentence !== undefined && sentence < tail.length ? sentence : firstMatchEnd(tail, WORD_BREAK);
    if (snap !== undefined) from += snap;
  }
  return from >= end || from <= start + (end - start) / 2 ? end : from;
}

function firstMatchEnd(text: string, pattern: RegExp): number | undefined {
  pattern.lastIndex = 0;
  const match = pattern.exec(text);
  pattern.lastIndex = 0;
  return match ? match.index + match[0].length : undefined;
}
