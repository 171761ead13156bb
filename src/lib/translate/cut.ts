/**
 * Cuts a Markdown (or plain) document into what is translated and what is kept. Code blocks
 * (fenced, or indented by four spaces or a tab as CommonMark has them), reference definitions,
 * horizontal rules and stray table delimiter rows are kept verbatim and never sent. The rest is
 * grouped, block by block, into pieces that each fit a byte budget (the caller turns its token
 * budget into bytes); a block larger than the budget is cut at sentence boundaries by the
 * summarizer's chunker, and a table larger than the budget at row boundaries, each later part
 * sent with the table's header and delimiter rows before it (`tableHeader`) so the model sees the
 * column names; that header is context, not part of the piece's `source`. Inline code, link
 * targets and URLs inside a piece are placeholders (./protect). Joining every segment's output in
 * order rebuilds the document: `source` of all segments, concatenated, is the input text.
 */
import { splitText } from '../shared/chunk';
import { utf8Length } from '../shared/utf8';
import { placeholdersIn, protect, restore } from './protect';

export interface TranslatePiece {
  kind: 'translate';
  /** The original text of the piece (no trailing whitespace). */
  source: string;
  /** What the model is sent: `source` with placeholders (after `tableHeader`, when there is one). */
  text: string;
  slots: ReadonlyMap<string, string>;
  /** Whitespace that followed the piece in the document, put back after its translation. */
  trailing: string;
  /**
   * A later part of a table cut at rows: its header and delimiter rows (protected, ending in a
   * line break), sent first as context. `text` starts with it; the translation's own header rows
   * are dropped ({@link dropTableHeader}) so the table comes back with its header once.
   */
  tableHeader?: string;
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
const LIST_ITEM = /^ {0,3}(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)/;
const HEADING = /^ {0,3}#{1,6}(?:[ \t]|$)/;
const DELIMITER_ROW = /^ {0,3}\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$/;

/** Columns of leading whitespace, a tab counting to the next multiple of four (as CommonMark). */
function indentOf(line: string): number {
  let columns = 0;
  for (const char of line) {
    if (char === ' ') columns++;
    else if (char === '\t') columns += 4 - (columns % 4);
    else break;
  }
  return columns;
}
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
  /** The line before was blank (or there was none): an indented code block may start. */
  let afterBreak = true;
  /** Inside a list: an indented line is the item's content, not code. */
  let inList = false;
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    const blank = !/\S/.test(line);
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
      afterBreak = true;
      continue;
    }
    if (!blank && indentOf(line) >= 4 && afterBreak && !inList) {
      // An indented code block: its lines, and blank lines between them, up to a line indented less.
      let block = line;
      let end = index + 1;
      for (; end < lines.length; end++) {
        const next = lines[end]!;
        if (/\S/.test(next) && indentOf(next) < 4) break;
        block += next;
      }
      index = end - 1;
      blocks.push({ keep: true, text: block });
      afterBreak = true;
      continue;
    }
    if (blank && blocks.length === 0) {
      blocks.push({ keep: true, text: line });
      continue;
    }
    if (!blank) {
      if (LIST_ITEM.test(line)) inList = true;
      else if (afterBreak && indentOf(line) === 0) inList = false;
    }
    push(KEPT_LINE.test(line) && !isTableStart(lines, index), line);
    // After a heading an indented line is code too; after a paragraph line it continues it.
    afterBreak = blank || HEADING.test(line);
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

  const flush = () => {
    if (pending) segments.push(...piecesOf(pending, pendingSlots));
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
    for (const part of cutProtected(text, maxBytes)) segments.push(...piecesOf(part.raw, slots, part.tableHeader));
  }
  flush();
  return segments;
}

/**
 * A piece of protected text, with the whitespace around it kept apart; `tableHeader` (a later
 * part of a table) is sent before it but is not part of its source.
 */
function piecesOf(raw: string, allSlots: ReadonlyMap<string, string>, tableHeader?: string): Segment[] {
  const body = raw.trimEnd();
  const trailing = raw.slice(body.length);
  const leading = /^\s*/.exec(body)![0];
  const segments: Segment[] = [];
  if (leading || !body) segments.push({ kind: 'keep', source: leading || trailing });
  if (!body) return segments;
  const own = body.slice(leading.length);
  const text = (tableHeader ?? '') + own;
  const slots = new Map(
    placeholdersIn(text).map((placeholder) => [placeholder, allSlots.get(placeholder) ?? placeholder]),
  );
  const source = restore(own, slots).text;
  segments.push({ kind: 'translate', source, text, slots, trailing, ...(tableHeader ? { tableHeader } : {}) });
  return segments;
}

/** Part of a block cut to fit; a later part of a table carries the table's header rows. */
interface CutPart {
  raw: string;
  tableHeader?: string;
}

/**
 * A protected block too big for one piece. A table is cut at row boundaries, its header rows
 * going with every part ({@link cutTable}); the rest at paragraph, sentence or word boundaries.
 */
function cutProtected(text: string, maxBytes: number): CutPart[] {
  const parts: CutPart[] = [];
  let run = '';
  const flushRun = () => {
    if (run) parts.push(...cutAtSentences(run, maxBytes).map((raw) => ({ raw })));
    run = '';
  };
  for (const paragraph of paragraphsOf(text)) {
    const table = isTable(paragraph) ? cutTable(paragraph, maxBytes) : undefined;
    if (!table) {
      run += paragraph;
      continue;
    }
    flushRun();
    parts.push(...table);
  }
  flushRun();
  return parts;
}

/** Paragraphs (blank-line separated), each with the blank lines after it. */
function paragraphsOf(text: string): string[] {
  const paragraphs: string[] = [];
  let start = 0;
  for (const match of text.matchAll(/\n[^\S\n]*\n\s*/g)) {
    const end = match.index + match[0].length;
    paragraphs.push(text.slice(start, end));
    start = end;
  }
  if (start < text.length) paragraphs.push(text.slice(start));
  return paragraphs;
}

function isTable(paragraph: string): boolean {
  const [header, delimiter] = paragraph.split('\n');
  return /\|/.test(header ?? '') && DELIMITER_ROW.test(delimiter ?? '') && /-/.test(delimiter ?? '');
}

/** Lines with their line breaks; whitespace after the last one stays with it. */
const linesOf = (text: string) => text.match(/[^\n]*\n|[^\n]+$/g) ?? [];

/**
 * A table cut at row boundaries: the first part starts with the header and delimiter rows, each
 * later part has them as `tableHeader`, so every part is a whole table to the model. Undefined
 * when the header and one row do not fit together (then it is cut like prose).
 */
function cutTable(table: string, maxBytes: number): CutPart[] | undefined {
  const lines = linesOf(table);
  const header = lines.slice(0, 2).join('');
  const rows = lines.slice(2);
  const headerBytes = utf8Length(header);
  if (rows.some((row) => headerBytes + utf8Length(row.trimEnd()) > maxBytes)) return undefined;
  const parts: CutPart[] = [];
  let raw = header;
  for (const row of rows) {
    const context = parts.length > 0 ? headerBytes : 0;
    if (raw && context + utf8Length((raw + row).trimEnd()) > maxBytes) {
      parts.push(parts.length > 0 ? { raw, tableHeader: header } : { raw });
      raw = '';
    }
    raw += row;
  }
  if (raw) parts.push(parts.length > 0 ? { raw, tableHeader: header } : { raw });
  return parts;
}

/**
 * A later part of a table the engine refused as too long, cut smaller at rows, each part still
 * with the header; undefined when one row with the header does not fit.
 */
export function recutTablePiece(piece: TranslatePiece, maxBytes: number): Segment[] | undefined {
  const header = piece.tableHeader;
  if (!header) return undefined;
  const rows = linesOf(piece.text.slice(header.length) + piece.trailing);
  const headerBytes = utf8Length(header);
  if (rows.length < 2 || rows.some((row) => headerBytes + utf8Length(row.trimEnd()) > maxBytes)) return undefined;
  const segments: Segment[] = [];
  let raw = '';
  for (const row of rows) {
    if (raw && headerBytes + utf8Length((raw + row).trimEnd()) > maxBytes) {
      segments.push(...piecesOf(raw, piece.slots, header));
      raw = '';
    }
    raw += row;
  }
  if (raw) segments.push(...piecesOf(raw, piece.slots, header));
  return segments;
}

/**
 * A table part's translation without the header rows it was sent with: the lines up to and
 * including the first delimiter row (within the first three lines). A reply that has none is
 * returned as it is (its changed shape is flagged by the checks).
 */
export function dropTableHeader(translation: string): string {
  const lines = translation.split('\n');
  const delimiter = lines
    .slice(0, 3)
    .findIndex((line) => /\|/.test(line) && DELIMITER_ROW.test(line) && /-/.test(line));
  return delimiter < 0 ? translation : lines.slice(delimiter + 1).join('\n');
}

/**
 * A table part's translation as it streams, without its header rows: nothing until the header
 * has come and gone.
 */
export function dropStreamingTableHeader(soFar: string): string {
  const dropped = dropTableHeader(soFar);
  if (dropped !== soFar) return dropped;
  return soFar.split('\n').length > 3 ? soFar : '';
}

/**
 * Prose too big for one piece, cut at paragraph, sentence or word boundaries. Only a "word"
 * longer than the budget is cut inside; a placeholder it splits moves whole to the next part.
 */
function cutAtSentences(text: string, maxBytes: number): string[] {
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
