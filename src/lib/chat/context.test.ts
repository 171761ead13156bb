import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../engine/types';
import { estimateTokens, fitConversationToContext, MESSAGE_OVERHEAD_TOKENS, REPLY_PRIMER_TOKENS } from './context';

const system: ChatMessage = { role: 'system', content: 'Be brief.' };
const turn = (i: number): ChatMessage[] => [
  { role: 'user', content: `question ${i} `.repeat(5) },
  { role: 'assistant', content: `answer ${i} `.repeat(8) },
];
const conversation = (turns: number, question = 'last question'): ChatMessage[] => [
  system,
  ...Array.from({ length: turns }, (_, i) => turn(i)).flat(),
  { role: 'user', content: question },
];

function promptCost(messages: ChatMessage[]): number {
  return (
    REPLY_PRIMER_TOKENS + messages.reduce((sum, m) => sum + estimateTokens(m.content) + MESSAGE_OVERHEAD_TOKENS, 0)
  );
}

describe('estimateTokens', () => {
  it('never undercounts a byte-level tokenizer: one token covers at least one UTF-8 byte', () => {
    expect(estimateTokens('abc')).toBe(3);
    expect(estimateTokens('é')).toBe(2);
    expect(estimateTokens('你好')).toBe(6);
    expect(estimateTokens('🙂')).toBe(4);
  });
});

describe('fitConversationToContext', () => {
  it('keeps everything when it fits', () => {
    const history = conversation(2);
    const fitted = fitConversationToContext(history, { contextLength: 4096, maxReplyTokens: 512, minReplyTokens: 64 });
    expect(fitted.messages).toEqual(history);
    expect(fitted.droppedCount).toBe(0);
    expect(fitted.replyTokens).toBe(512);
    expect(fitted.fits).toBe(true);
  });

  it('drops the oldest turns, keeps the system prompt and the newest turn, and never exceeds the window', () => {
    for (let turns = 0; turns < 40; turns++) {
      for (const contextLength of [256, 512, 1024]) {
        const history = conversation(turns);
        const fitted = fitConversationToContext(history, { contextLength, maxReplyTokens: 512, minReplyTokens: 64 });
        expect(fitted.messages[0]).toEqual(system);
        expect(fitted.messages.at(-1)).toEqual(history.at(-1));
        expect(fitted.messages[1]?.role).toBe('user');
        // The kept turns are the newest ones, in order.
        expect(history.slice(history.length - (fitted.messages.length - 1))).toEqual(fitted.messages.slice(1));
        expect(fitted.promptTokens).toBe(promptCost(fitted.messages));
        expect(fitted.promptTokens + fitted.replyTokens).toBeLessThanOrEqual(contextLength);
        expect(fitted.replyTokens).toBeGreaterThanOrEqual(64);
      }
    }
  });

  it('reports the number of dropped messages', () => {
    const history = conversation(30);
    const fitted = fitConversationToContext(history, { contextLength: 256, maxReplyTokens: 128, minReplyTokens: 64 });
    expect(fitted.droppedCount).toBe(history.length - fitted.messages.length);
    expect(fitted.droppedCount).toBeGreaterThan(0);
  });

  it('says it does not fit when the newest message alone is too long', () => {
    const history = conversation(1, 'x'.repeat(1000));
    const fitted = fitConversationToContext(history, { contextLength: 256, maxReplyTokens: 128, minReplyTokens: 64 });
    expect(fitted.fits).toBe(false);
  });

  it('works without a system prompt', () => {
    const history = conversation(10).slice(1);
    const fitted = fitConversationToContext(history, { contextLength: 300, maxReplyTokens: 100, minReplyTokens: 50 });
    expect(fitted.messages[0]?.role).toBe('user');
    expect(fitted.messages.at(-1)).toEqual(history.at(-1));
    expect(fitted.promptTokens + fitted.replyTokens).toBeLessThanOrEqual(300);
  });
});
