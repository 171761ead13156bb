/**
 * The prompts of the map-reduce summary, and the reply sizes they are given. Instructions are
 * short on purpose: every byte of instruction is a byte less of document per call, and a small
 * model's window is small. Every prompt asks for the document's own language.
 */
import type { ChatMessage } from '../engine/types';
import type { SummaryOptions } from './options';

export interface PartialInstructions {
  map: string;
  reduce: string;
}

const FULL: PartialInstructions = {
  map: 'Briefly summarize this excerpt in its own language, keeping key facts and any tasks:',
  reduce: 'Merge these part summaries of one document into one brief summary, in their language:',
};
const TERSE: PartialInstructions = {
  map: 'Summarize briefly, in its language:',
  reduce: 'Merge into one summary, in their language:',
};

/**
 * The instructions of the map and merge calls. In a small window (under 2,048 tokens) every byte
 * of instruction costs a byte of document in each of many calls, so they are terse there.
 */
export function partialInstructions(contextLength: number): PartialInstructions {
  return contextLength < 2048 ? TERSE : FULL;
}

/** Between the partial summaries given to a reduce or final call. */
export const SUMMARY_SEPARATOR = '\n\n';

const PARAGRAPH_SHAPE = {
  short: 'in 2 or 3 sentences',
  medium: 'in one paragraph',
  long: 'in a few detailed paragraphs',
};
const BULLET_SHAPE = {
  short: 'as 3 to 5 bullet points',
  medium: 'as 5 to 8 bullet points',
  long: 'as 8 to 15 detailed bullet points',
};
const KEY_POINT_SIZE = { short: 'a few', medium: 'the', long: 'all important' };

function shape(options: SummaryOptions): string {
  switch (options.form) {
    case 'paragraph':
      return PARAGRAPH_SHAPE[options.length];
    case 'bullets':
      return BULLET_SHAPE[options.length];
    case 'key-points':
      return `as ${KEY_POINT_SIZE[options.length]} key points, then "Action items:" as bullets (or "None")`;
  }
}

/** The instruction of the last, streamed pass: over the document itself or over partial summaries. */
export function finalInstruction(options: SummaryOptions, over: 'document' | 'summaries'): string {
  return over === 'document'
    ? `Summarize this text in its own language, ${shape(options)}:`
    : `Summarize the document these part summaries come from, in its language, ${shape(options)}:`;
}

/** One user message: the instruction, a blank line, the material. */
export function buildPrompt(instruction: string, material: string): ChatMessage[] {
  return [{ role: 'user', content: `${instruction}\n\n${material}` }];
}

/** Reply tokens for one map or intermediate reduce call: short, so many calls stay fast. */
export function partialReplyTokens(contextLength: number): number {
  return Math.max(16, Math.min(192, Math.floor(contextLength / 8)));
}

const FINAL_REPLY = { short: 160, medium: 400, long: 800 };

/** Reply tokens for the final pass: the user's length, within a quarter of the window. */
export function finalReplyTokens(options: SummaryOptions, contextLength: number): number {
  return Math.min(FINAL_REPLY[options.length], Math.max(32, Math.floor(contextLength / 4)));
}

/** Tokens kept free of every budget, for whatever the estimate cannot see. */
export function safetyMarginTokens(contextLength: number): number {
  return Math.max(8, Math.ceil(contextLength * 0.04));
}
