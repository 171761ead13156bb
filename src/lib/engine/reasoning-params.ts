/**
 * How a request asks llama.cpp (wllama, or llama-server and the servers that copy its API) about
 * thinking: a model whose template reads `enable_thinking` is told not to think when the
 * conversation says so (Qwen3's switch, through `chat_template_kwargs`); a thinking budget goes
 * as `thinking_budget_tokens`, which llama.cpp's server reads per request. And a reply that must
 * be JSON of a schema goes as OpenAI's `response_format`, which llama.cpp turns into a grammar.
 */
import type { GenerationSettings, ModelAbilities, ReplyFormat } from './types';

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

/** `response_format` as OpenAI's API, llama.cpp's server (wllama) and vLLM read it. */
export function responseFormat(format: ReplyFormat | undefined) {
  if (!format) return {};
  return {
    response_format: {
      type: 'json_schema' as const,
      json_schema: { name: format.name, schema: format.schema, strict: true },
    },
  };
}
