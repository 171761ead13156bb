/**
 * An embedding of a text of any length. llama.cpp embeds one input in one micro-batch, which is
 * kept small because it computes every input token's logits there (Qwen's 151,936 for each: see
 * `embeddingBatch` in wllama-memory.ts). A text it refuses as too long is cut into pieces at
 * spaces, each is embedded, and the pieces' vectors are averaged, weighted by their tokens, as
 * mean pooling weighs every token alike. A causal model reads each piece without the text before
 * it, so the vector differs a little from one read whole; a text that fits is read whole.
 */
import { normalise } from '../shared/vectors';

export interface PieceEmbedding {
  vector: number[];
  /** Tokens llama.cpp read for it. */
  tokens: number;
}

export interface EmbedPieces {
  /** One input, one call to llama.cpp. */
  embedOne: (text: string) => Promise<PieceEmbedding>;
  /** The refused input's tokens and the micro-batch's, when the failure was an input too long. */
  tooLong: (error: unknown) => { tokens: number; batch: number } | undefined;
}

/**
 * Pieces are cut about a tenth below the micro-batch, as tokens per character vary along a text;
 * a piece still refused is cut again.
 */
const MARGIN = 1.1;

export async function embedInPieces(text: string, deps: EmbedPieces): Promise<PieceEmbedding> {
  try {
    return await deps.embedOne(text);
  } catch (error) {
    const over = deps.tooLong(error);
    if (!over) throw error;
    const pieces = splitText(text, Math.max(2, Math.ceil((over.tokens * MARGIN) / over.batch)));
    if (pieces.length < 2) throw error;
    const parts: PieceEmbedding[] = [];
    for (const piece of pieces) parts.push(await embedInPieces(piece, deps));
    return combine(parts);
  }
}

/** The pieces' mean, weighted by their tokens, as a unit vector (as llama.cpp returns its own). */
export function combine(parts: readonly PieceEmbedding[]): PieceEmbedding {
  const tokens = parts.reduce((sum, part) => sum + part.tokens, 0);
  const sum = new Float64Array(parts[0]?.vector.length ?? 0);
  for (const part of parts) {
    const weight = tokens > 0 ? part.tokens / tokens : 1 / parts.length;
    part.vector.forEach((value, i) => (sum[i]! += value * weight));
  }
  return { vector: Array.from(normalise(sum)), tokens };
}

/**
 * `text` in about `count` pieces of about equal length, each cut after the last space (or line
 * break) in its second half, else at its end, never inside a surrogate pair. Pieces of spaces
 * only are left out.
 */
export function splitText(text: string, count: number): string[] {
  const length = Math.ceil(text.length / Math.max(1, count));
  const pieces: string[] = [];
  let start = 0;
  while (start < text.length) {
    let end = Math.min(text.length, start + length);
    if (end < text.length) {
      const space = lastSpace(text, start + length / 2, end);
      if (space !== undefined) end = space + 1;
      else if (isHighSurrogate(text.charCodeAt(end - 1))) end -= 1;
    }
    if (end <= start) end = Math.min(text.length, start + 2);
    const piece = text.slice(start, end);
    if (piece.trim()) pieces.push(piece);
    start = end;
  }
  return pieces;
}

function lastSpace(text: string, from: number, to: number): number | undefined {
  for (let i = to - 1; i > from; i--) if (/\s/.test(text[i]!)) return i;
  return undefined;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
