/**
 * The prompt of a grounded answer: the best passages that fit the model's window (with room for
 * the answer), numbered in rank order, and the instruction to answer only from them and cite
 * them as [1], [2]… Budgets are in estimated tokens (see TokenEstimator); the passage that does
 * not fit whole is left out, except the first, which is clipped so there is always something to
 * answer from.
 */
import type { ChatMessage } from '../engine/types';
import type { TokenEstimator } from '../summarize/tokens';

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

/** Undefined when the window cannot hold the instructions, the question and a little passage. */
export function buildGroundedPrompt(
  question: string,
  ranked: readonly RankedPassage[],
  budget: PromptBudget,
): GroundedPrompt | undefined {
  const { estimator } = budget;
  const answerTokens = Math.min(budget.answerTokens, Math.floor(budget.contextTokens / 4));
  const fixed =
    estimator.tokens(GROUNDED_INSTRUCTIONS) + estimator.tokens(userMessage(question, [])) + estimator.overheadTokens;
  let room = budget.contextTokens - answerTokens - fixed;
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
      { role: 'system', content: GROUNDED_INSTRUCTIONS },
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
