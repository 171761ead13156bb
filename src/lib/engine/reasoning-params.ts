/**
 * How a request asks llama.cpp (wllama, or llama-server and the servers that copy its API) about
 * thinking: a model whose template reads `enable_thinking` is told not to think when the
 * conversation says so (Qwen3's switch, through `chat_template_kwargs`); a thinking budget goes
 * as `thinking_budget_tokens`, which llama.cpp's server reads per request.
 */
import type { GenerationSettings, ModelAbilities } from './types';

export interface ReasoningParams {
  chat_template_kwargs?: { enable_thinking: boolean };
  thinking_budget_tokens?: number;
}

/** `abilities` undefined: not known (a server's model), so the switch is sent as asked. */
export function reasoningParams(settings: GenerationSettings, abilities: ModelAbilities | undefined): ReasoningParams {
  const switchable = abilities === undefined || abilities.thinking === 'switchable';
  const off = settings.think === false && switchable;
  return {
    ...(off ? { chat_template_kwargs: { enable_thinking: false } } : {}),
    ...(!off && settings.thinkingBudget !== undefined && (abilities === undefined || abilities.thinking)
      ? { thinking_budget_tokens: settings.thinkingBudget }
      : {}),
  };
}
