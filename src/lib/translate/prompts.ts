/**
 * The translation prompt and the reply room it is given. The instruction is short (every byte of
 * it is a byte less of document in each of many calls), names both languages, and asks to keep
 * Markdown and the `{{n}}` placeholders. The end of the previous piece's translation goes first,
 * marked as context, so terms stay consistent from piece to piece.
 */
import type { ChatMessage } from '../engine/types';
import type { Language } from './languages';

/**
 * The instruction of every call. In a small window (under 2,048 tokens) every byte of it costs a
 * byte of document in each of many calls, so it is terse there.
 */
export function instructionFor(from: Language | undefined, to: Language, contextLength: number): string {
  if (contextLength < 2048) return `Translate into ${to.name}; keep Markdown and {{n}}:`;
  const source = from ? `from ${from.name} ` : '';
  return `Translate ${source}into ${to.name}. Keep the Markdown, numbers, names and {{n}} markers exactly. Reply with the translation only.`;
}

/** One user message: the instruction, the end of the previous translation (if any), the piece. */
export function buildTranslatePrompt(instruction: string, previous: string, piece: string): ChatMessage[] {
  const context = previous ? `Before (already translated): ${previous}\n\n` : '';
  return [{ role: 'user', content: `${instruction}\n\n${context}${piece}` }];
}

/**
 * How many reply tokens a piece's translation may need, per token of the piece. Translations run
 * longer than their source (English → German or French ≈ +20–30 %; into a script the tokenizer
 * knows less well, more tokens for the same meaning), so the room is generous.
 */
export function expansionFor(to: Language): number {
  return /^(zh|ja|ko|hi|bn|ta|te|mr|th|ar|fa|ur|he|el|ru|uk)$/.test(to.code ?? '') || !to.code ? 2 : 1.5;
}

/** Characters of the previous translation carried as context: a sentence or two, within a share of the window. */
export function contextBytesFor(contextLength: number): number {
  return Math.max(0, Math.min(400, Math.floor(contextLength * 0.08)));
}

/** Tokens kept free of every budget, for whatever the estimate cannot see. */
export { safetyMarginTokens } from '../summarize/prompts';
