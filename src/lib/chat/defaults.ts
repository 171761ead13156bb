import type { GenerationSettings } from '../engine/types';

/** Context allocated for a model: enough for chat, small enough for a phone's memory. */
export const MAX_CONTEXT_TOKENS = 4096;

export const DEFAULT_GENERATION: GenerationSettings = { temperature: 0.7, topP: 0.95, maxTokens: 512 };

/** Room always left for the reply; older turns are dropped to keep it. */
export const MIN_REPLY_TOKENS = 64;
