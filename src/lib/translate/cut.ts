/**
 * Cuts a Markdown (or plain) document into what is translated and what is kept. Fenced code
 * blocks, reference definitions, horizontal rules and table delimiter rows are kept verbatim and
 * never sent. The rest is grouped, block by block, into pieces that each fit a byte budget (the
 * caller turns its token budget into bytes); a block larger than the budget is cut at sentence
 * boundaries by the summarizer's chunker. Inline code, link targets and URLs inside a piece are
 * placeholders (./protect). Joining every segment's output in order rebuilds the document:
 * `source` of all segments, concatenated, is the input text.
 */
import { splitText } from '../summarize/chunk';
import { utf8Length } from '../summarize/utf8';
import { placeholdersIn, protect, restore } from './protect';

export interface TranslatePiece {
  kind: 'translate';
  /** The original text of the piece (no trailing whitespace). */
  source: string;
  /** What the model is sent: `source` with placeholders. */
  text: string;
  slots: ReadonlyMap<string, string>;
  /** Whitespace that followed the piece in the document, put back after its translation. */
  trailing: string;
}

export interface KeptSegment {
  kind: 'keep';
  /** Copied to the output as it is, trailing whitespace included. */
  source: string;
}

export type Segment = TranslatePiece | KeptSegment;

interface Block {
  keep: boolean;
  /** The block's lines and the whitespace after them. */
  text: string;
}

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const KEPT_LINE = /^ {0,3}(?:\[[^\]]+\]:\s+\S.*|(?:[-*_]\s*){3,}|\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?)\s*$/;

/** Splits the document into blocks: kept ones (code, definitions, rules) and text runs. */
function blocksOf(text: string): Block[] {
  const lines = text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
  const blocks: Block[] = [];
  const push = (keep: boolean, line: string) => {
    const last = blocks.at(-1);
    // Blank lines join the block before them, so a block's text ends with its separator.
    if (last && (last.keep === keep || !/\S/.test(line))) last.text += line;
    else blocks.push({ keep, text: line });
  };
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    const fence = FENCE.exec(line);
    if (fence) {
      const marker = fence[1]!;
      let block = line;
      let end = index + 1;
      for (; end < lines.length; end++) {
        block += lines[end]!;
        if (new RegExp(`^ {0,3}${marker[0]}{${marker.length},}\\s*$`).test(lines[end]!)) break;
      }
      index = end;
      blocks.push({ keep: true, text: block });
      continue;
    }
    if (!/\S/.test(line) && blocks.length === 0) {
      blocks.push({ keep: true, text: line });
      continue;
    }
    push(KEPT_LINE.test(line) && !isTableStart(lines, index), line);
  }
  return blocks;
}

/** A delimiter row belongs to its table: it is sent with it so the model sees the table whole. */
function isTableStart(lines: readonly string[], index: number): boolean {
  return /\|/.test(lines[index]!) && /\|/.test(lines[index - 1] ?? '');
}

export interface CutOptions {
  /** No piece's `text` is longer than this in UTF-8 bytes. */
  maxBytes: number;
}

/**
 * The document's segments, in order. Pieces hold whole blocks where they can; a piece never
 * crosses a kept block, so code stays exactly where it was. A block is protected before it is
 * cut, so a cut can never fall inside inline code or a URL (placeholders have no spaces).
 */
export function cutDocument(document: string, options: CutOptions): Segment[] {
  const maxBytes = Math.max(16, Math.floor(options.maxBytes));
  const segments: Segment[] = [];
  let nextIndex = 1;
  /** Protected text waiting to become a piece, with its slots. */
  let pending = '';
  let pendingSlots = new Map<string, string>();

  const addPiece = (raw: string, allSlots: ReadonlyMap<string, string>) => {
    const body = raw.trimEnd();
    const trailing = raw.slice(body.length);
    const leading = /^\s*/.exec(body)![0];
    if (leading || !body) segments.push({ kind: 'keep', source: leading || trailing });
    if (!body) return;
    const text = body.slice(leading.length);
    const slots = new Map(
      placeholdersIn(text).map((placeholder) => [placeholder, allSlots.get(placeholder) ?? placeholder]),
    );
    segments.push({ kind: 'translate', source: restore(text, slots).text, text, slots, trailing });
  };
  const flush = () => {
    if (pending) addPiece(pending, pendingSlots);
    pending = '';
    pendingSlots = new Map();
  };

  for (const block of blocksOf(document)) {
    if (block.keep) {
      flush();
      segments.push({ kind: 'keep', source: block.text });
      continue;
    }
    const { text, slots } = protect(block.text, nextIndex);
    nextIndex += slots.size;
    if (pending && utf8Length((pending + text).trimEnd()) > maxBytes) flush();
    if (utf8Length(text.trimEnd()) <= maxBytes) {
      pending += text;
      for (const [placeholder, original] of slots) pendingSlots.set(placeholder, original);
      continue;
    }
    flush();
    for (const part of cutProtected(text, maxBytes)) addPiece(part, slots);
  }
  flush();
  return segments;
}

/**
 * A protected block too big for one piece, cut at paragraph, sentence or word boundaries. Only
 * a "word" longer than the budget is cut inside; a placeholder it splits moves whole to the next part.
 */
function cutProtected(text: string, maxBytes: number): string[] {
  // Room for a moved placeholder (up to "{{99999}}") keeps every part within the budget.
  const parts = splitText(text, { maxBytes: Math.max(4, maxBytes - 9), overlapBytes: 0 }).map((chunk) => chunk.text);
  for (let index = 0; index < parts.length - 1; index++) {
    const broken = /\{\{\d*\}?$/.exec(parts[index]!);
    if (broken && broken.index > 0) {
      parts[index] = parts[index]!.slice(0, broken.index);
      parts[index + 1] = broken[0] + parts[index + 1]!;
    }
  }
  return parts;
}
