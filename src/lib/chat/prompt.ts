/**
 * Planning one reply: the conversation's system prompt and turns, fitted into the loaded model's
 * window, with the user's settings. Refusals carry a sentence for the user, so a reply never
 * starts that could overflow the context.
 */
import type { ChatMessage, GenerationSettings, ModelAbilities } from '../engine/types';
import { fitConversationToContext } from './context';
import type { StoredMessage } from './conversation';
import { MIN_REPLY_TOKENS } from './defaults';

/** Longer messages are refused before any counting: no model Nook runs could read them. */
export const MAX_MESSAGE_CHARS = 200_000;

export interface ReplyModel {
  name?: string;
  contextLength: number;
  /** What it can do beyond chat (think, be told not to), where known. */
  abilities?: ModelAbilities;
}

export type ReplyPlan =
  | { ok: true; messages: ChatMessage[]; droppedCount: number; settings: GenerationSettings }
  | { ok: false; reason: string };

const describeLength = (chars: number) =>
  chars >= 1_000_000
    ? `${(chars / 1_000_000).toFixed(1)} million characters`
    : `${chars.toLocaleString('en')} characters`;

/** `turns` ends with the user message to answer. */
export function planReply(
  systemPrompt: string,
  turns: readonly ChatMessage[],
  settings: GenerationSettings,
  model: ReplyModel,
): ReplyPlan {
  const last = turns.at(-1);
  if (!last || last.role !== 'user') return { ok: false, reason: 'There is no message to answer.' };
  const modelName = model.name ?? 'the model';
  const tooLong = `This message is too long for ${modelName}, which can read about ${model.contextLength} tokens at once. Shorten it, or load a model with a larger context.`;
  if (last.content.length > MAX_MESSAGE_CHARS) {
    return { ok: false, reason: `${tooLong} (It has ${describeLength(last.content.length)}.)` };
  }
  const history: ChatMessage[] = systemPrompt.trim()
    ? [{ role: 'system', content: systemPrompt }, ...turns]
    : [...turns];
  const fitted = fitConversationToContext(history, {
    contextLength: model.contextLength,
    maxReplyTokens: settings.maxTokens,
    minReplyTokens: Math.min(MIN_REPLY_TOKENS, Math.floor(model.contextLength / 4)),
  });
  if (!fitted.fits) {
    const system = history[0]?.role === 'system' && fitted.messages.length <= 2;
    return {
      ok: false,
      reason:
        system && turns.length === 1 && last.content.length < 2000
          ? `The system prompt is too long for ${modelName}'s window of ${model.contextLength} tokens. Shorten it in the conversation settings.`
          : tooLong,
    };
  }
  return {
    ok: true,
    messages: fitted.messages,
    droppedCount: fitted.droppedCount,
    settings: { ...settings, maxTokens: fitted.replyTokens },
  };
}

/**
 * How many messages at the start the model did not see when it wrote the last reply: the plan of
 * the newest user message, replayed. Drives the "remembers from here on" marker. A grounded reply
 * is not replayed (its passages took part of the window): it saved its own count, and that is it.
 */
export function forgottenBeforeLastReply(
  systemPrompt: string,
  messages: readonly (ChatMessage & Pick<StoredMessage, 'unseenBefore'>)[],
  settings: GenerationSettings,
  contextLength: number,
): number {
  const last = messages.at(-1);
  if (last?.role === 'assistant' && last.unseenBefore !== undefined) return last.unseenBefore;
  let lastUser = messages.length - 1;
  while (lastUser >= 0 && messages[lastUser]!.role !== 'user') lastUser--;
  if (lastUser < 0) return 0;
  const history: ChatMessage[] = systemPrompt.trim()
    ? [{ role: 'system', content: systemPrompt }, ...messages.slice(0, lastUser + 1)]
    : messages.slice(0, lastUser + 1);
  return fitConversationToContext(history, {
    contextLength,
    maxReplyTokens: settings.maxTokens,
    minReplyTokens: Math.min(MIN_REPLY_TOKENS, Math.floor(contextLength / 4)),
  }).droppedCount;
}
