import { describe, expect, it } from 'vitest';
import { reasoningParams } from './reasoning-params';
import { templateAbilities } from './template-abilities';

// Cut-down forms of real templates: what each family's template says that tells it apart.
const QWEN3 =
  '{%- if tools %}<|im_start|>system\n# Tools\n{{- tool | tojson }}<tool_call>{% endif %}' +
  '{%- if enable_thinking is defined and enable_thinking is false %}<think>\n\n</think>\n\n{%- endif %}';
const QWEN25 = '{%- if tools %}{{- tool | tojson }}\n<tool_call>\n{%- endif %}<|im_start|>assistant\n';
const DEEPSEEK_R1 = "{{'<｜Assistant｜>'}}{% if '</think>' in content %}{% endif %}<think>\n";
const PLAIN = '{% for message in messages %}<|{{ message.role }}|>{{ message.content }}<|end|>{% endfor %}';

describe('templateAbilities', () => {
  it('tells a model that thinks and can be told not to, one that always thinks, and one that never does', () => {
    expect(templateAbilities(QWEN3)).toEqual({ thinking: 'switchable', thinkingBudget: true, tools: true });
    expect(templateAbilities(DEEPSEEK_R1)).toEqual({ thinking: 'always', thinkingBudget: true });
    expect(templateAbilities(QWEN25)).toEqual({ tools: true });
    expect(templateAbilities(PLAIN)).toEqual({});
    expect(templateAbilities(null)).toEqual({});
  });
});

describe('reasoningParams', () => {
  const base = { temperature: 0, topP: 1, maxTokens: 64 };
  it('asks a switchable model not to think only when the conversation says so', () => {
    expect(reasoningParams(base, { thinking: 'switchable' })).toEqual({});
    expect(reasoningParams({ ...base, think: false }, { thinking: 'switchable' })).toEqual({
      chat_template_kwargs: { enable_thinking: false },
    });
    // A model that cannot be switched off, or does not think, is asked nothing it would not read.
    expect(reasoningParams({ ...base, think: false }, { thinking: 'always' })).toEqual({});
    expect(reasoningParams({ ...base, think: false }, {})).toEqual({});
  });

  it('bounds the thinking of a model that thinks, not of one that does not or was told not to', () => {
    expect(reasoningParams({ ...base, thinkingBudget: 128 }, { thinking: 'always' })).toEqual({
      thinking_budget_tokens: 128,
    });
    expect(reasoningParams({ ...base, thinkingBudget: 128 }, {})).toEqual({});
    expect(reasoningParams({ ...base, thinkingBudget: 128, think: false }, { thinking: 'switchable' })).toEqual({
      chat_template_kwargs: { enable_thinking: false },
    });
  });
});
