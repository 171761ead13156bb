/**
 * What a model can do beyond plain chat, read from its Jinja chat template (the GGUF's
 * `tokenizer.chat_template`, which llama.cpp applies): whether it thinks (`<think>`, or a
 * `reasoning_content` it renders), whether it can be asked not to (`enable_thinking`, as Qwen3's
 * template reads from `chat_template_kwargs`), and whether it can call tools (it renders `tools`).
 */
import type { ModelAbilities } from './types';

export function templateAbilities(template: string | null | undefined): ModelAbilities {
  if (!template) return {};
  const thinks = /<think>|reasoning_content|enable_thinking/.test(template);
  const switchable = /\benable_thinking\b/.test(template);
  // Tools rendered into the prompt: `{% if tools %}`, `tools | tojson`, `for tool in tools`.
  const tools = /\btools\b/.test(template) && /tool_call|tool_calls|<tool_call>/.test(template);
  return {
    // llama.cpp applies the template, and bounds thinking per request.
    ...(thinks ? { thinking: switchable ? ('switchable' as const) : ('always' as const), thinkingBudget: true } : {}),
    ...(tools ? { tools: true } : {}),
  };
}
