/**
 * The prompt of a grounded answer: the best passages that fit the model's window (with room for
 * the answer), numbered in rank order, and the instruction to answer only from them and cite
 * them as [1], [2]… Budgets are in estimated tokens (see TokenEstimator); the passage that does
 * not fit whole is left out, except the first, which is clipped so there is always something to
 * answer from.
 */
import type { ChatMessage } from '../engine/types';
import type { TokenEstimator } from '../engine/tokens';

export interface RankedPassage {
  passageId: string;
  documentId: string;
  documentName: string;
  index: number;
  heading?: string;
  text: string;
}

export interface GivenSource extends RankedPassage {
  /** 1-based: what [n] in the answer refers to. */
  number: number;
  /** The passage was cut short to fit the window. */
  clipped: boolean;
}

export interface GroundedPrompt {
  messages: ChatMessage[];
  sources: GivenSource[];
  /** Tokens left for the answer by the estimate. */
  answerTokens: number;
  /** Earlier turns of the conversation left out for room. */
  droppedTurns: number;
}

export const GROUNDED_INSTRUCTIONS =
  'Answer the question using only the numbered passages from the user’s documents. ' +
  'After each statement, cite the passage it comes from as [1], [2] and so on. ' +
  'If the passages do not contain the answer, say that the documents do not say.';

const sourceLabel = (passage: RankedPassage, n: number) =>
  `[${n}] ${passage.documentName}${passage.heading ? ` — ${passage.heading}` : ''}`;

export function userMessage(question: string, sources: readonly { text: string; label: string }[]): string {
  const blocks = sources.map((source) => `${source.label}\n${source.text}`).join('\n\n');
  return `Passages:\n\n${blocks}\n\nQuestion: ${question}`;
}

export interface PromptBudget {
  contextTokens: number;
  /** What the answer should have room for; shrunk (to a quarter of the window) on small models. */
  answerTokens: number;
  estimator: TokenEstimator;
}

/** A chat conversation around the question: its own system prompt and the turns before it. */
export interface PromptConversation {
  systemPrompt?: string;
  /** Earlier turns, oldest first; the newest that fit are kept, and never more than half the room. */
  history?: readonly ChatMessage[];
}

/** Template tokens around each earlier turn (as lib/chat/context counts them). */
const TURN_OVERHEAD_TOKENS = 8;

/** The newest turns that fit `room`, starting with a user turn; how many were left out before them. */
function keptHistory(history: readonly ChatMessage[], room: number, estimator: TokenEstimator) {
  let first = history.length;
  let used = 0;
  for (let i = history.length - 1; i >= 0; i--) {
    const cost = estimator.tokens(history[i]!.content) + TURN_OVERHEAD_TOKENS;
    if (used + cost > room) break;
    used += cost;
    first = i;
  }
  while (first < history.length && history[first]!.role !== 'user') {
    used -= estimator.tokens(history[first]!.content) + TURN_OVERHEAD_TOKENS;
    first++;
  }
  return { turns: history.slice(first), dropped: first, used };
}

/** Undefined when the window cannot hold the instructions, the question and a little passage. */
export function buildGroundedPrompt(
  question: string,
  ranked: readonly RankedPassage[],
  budget: PromptBudget,
  conversation: PromptConversation = {},
): GroundedPrompt | undefined {
  const { estimator } = budget;
  const answerTokens = Math.min(budget.answerTokens, Math.floor(budget.contextTokens / 4));
  const instructions = conversation.systemPrompt?.trim()
    ? `${conversation.systemPrompt.trim()}\n\n${GROUNDED_INSTRUCTIONS}`
    : GROUNDED_INSTRUCTIONS;
  const fixed = estimator.tokens(instructions) + estimator.tokens(userMessage(question, [])) + estimator.overheadTokens;
  let room = budget.contextTokens - answerTokens - fixed;
  // Passages come first: earlier turns get at most half of what is left.
  const history = keptHistory(conversation.history ?? [], Math.floor(Math.max(0, room) / 2), estimator);
  room -= history.used;
  const sources: GivenSource[] = [];
  for (const passage of ranked) {
    const label = sourceLabel(passage, sources.length + 1);
    // The label, its line break and the blank line between passages.
    const cost = estimator.tokens(label) + estimator.tokens(passage.text) + estimator.tokensForBytes(3);
    if (cost <= room) {
      sources.push({ ...passage, number: sources.length + 1, clipped: false });
      room -= cost;
      continue;
    }
    if (sources.length === 0) {
      const bytes = estimator.bytesFor(room - estimator.tokens(label) - estimator.tokensForBytes(4));
      const text = clipToBytes(passage.text, bytes);
      if (text.length >= Math.min(40, passage.text.length)) {
        sources.push({ ...passage, text, number: 1, clipped: true });
      }
    }
    break;
  }
  if (sources.length === 0) return undefined;
  return {
    messages: [
      { role: 'system', content: instructions },
      ...history.turns,
      {
        role: 'user',
        content: userMessage(
          question,
          sources.map((source) => ({
            label: sourceLabel(source, source.number),
            text: source.clipped ? `${source.text}…` : source.text,
          })),
        ),
      },
    ],
    sources,
    answerTokens,
    droppedTurns: history.dropped,
  };
}

/** The longest start of `text` within `bytes` UTF-8 bytes, ended at a word break when there is one. */
export function clipToBytes(text: string, bytes: number): string {
  if (bytes <= 0) return '';
  const encoded = new TextEncoder().encode(text);
  if (encoded.length <= bytes) return text;
  let cut = new TextDecoder().decode(encoded.subarray(0, bytes)).replace(/\uFFFD$/, '');
  const space = cut.lastIndexOf(' ');
  if (space > cut.length / 2) cut = cut.slice(0, space);
  return cut;
}
