/**
 * Fitting a conversation into the model's context window. When the whole history does not fit,
 * the oldest turns are left out of the prompt; the system prompt and the newest turn always stay.
 * Token counts come from an estimate that must never undercount (see `estimateTokens`), so the
 * prompt plus the reply can never overflow the window.
 */
import type { ChatMessage } from '../engine/types';

/** Template tokens around each message (role markers, separators) — generous on purpose. */
export const MESSAGE_OVERHEAD_TOKENS = 8;
/** Tokens the chat template adds to open the assistant's reply, plus BOS. */
export const REPLY_PRIMER_TOKENS = 8;

const encoder = new TextEncoder();

/**
 * An upper bound of the tokens in `text`: every token of a byte-level BPE (or SentencePiece with
 * byte fallback) covers at least one UTF-8 byte, so the byte count never undercounts.
 */
export function estimateTokens(text: string): number {
  return encoder.encode(text).length;
}

export interface ContextBudget {
  contextLength: number;
  /** Tokens the reply may use at most (the user's max-tokens setting). */
  maxReplyTokens: number;
  /** The smallest reply worth generating; older turns are dropped to keep at least this room. */
  minReplyTokens: number;
  countTokens?: (text: string) => number;
}

export interface FittedPrompt {
  messages: ChatMessage[];
  /** How many messages at the start of the history were left out. */
  droppedCount: number;
  promptTokens: number;
  /** max_tokens to ask for: what is left of the window, at most `maxReplyTokens`. */
  replyTokens: number;
  /** False when even the system prompt and the newest message leave no room for a reply. */
  fits: boolean;
}

export function fitConversationToContext(history: readonly ChatMessage[], budget: ContextBudget): FittedPrompt {
  const count = budget.countTokens ?? estimateTokens;
  const cost = (message: ChatMessage) => count(message.content) + MESSAGE_OVERHEAD_TOKENS;
  const minReply = Math.min(budget.minReplyTokens, budget.maxReplyTokens);
  const promptLimit = budget.contextLength - minReply;

  const system = history[0]?.role === 'system' ? history[0] : undefined;
  const turns = system ? history.slice(1) : history.slice();
  let used = REPLY_PRIMER_TOKENS + (system ? cost(system) : 0);

  // Walk back from the newest message and keep what fits.
  let firstKept = turns.length;
  for (let i = turns.length - 1; i >= 0; i--) {
    const message = turns[i]!;
    const next = used + cost(message);
    if (next > promptLimit && firstKept < turns.length) break;
    used = next;
    firstKept = i;
  }
  // A reply must follow a user turn: never start the kept history with an assistant message.
  while (firstKept < turns.length - 1 && turns[firstKept]!.role === 'assistant') {
    used -= cost(turns[firstKept]!);
    firstKept++;
  }
  const kept = turns.slice(firstKept);
  return {
    messages: system ? [system, ...kept] : kept,
    droppedCount: firstKept,
    promptTokens: used,
    replyTokens: Math.max(0, Math.min(budget.maxReplyTokens, budget.contextLength - used)),
    fits: used + minReply <= budget.contextLength,
  };
}
