import type { CompletionStats } from './types';

/**
 * The stats of a reply stopped before it started: nothing read, nothing written (what a
 * ReplyMeter finishing at once gives, without loading the meter into the page's first paint).
 */
export const stoppedBeforeStart = (): CompletionStats => ({
  promptTokens: 0,
  completionTokens: 0,
  timeToFirstTokenMs: 0,
  tokensPerSecond: 0,
  finishReason: 'aborted',
});
