import { describe, expect, it } from 'vitest';
import type { ChatRequest, CompletionStats, EngineToolCall, StreamCallbacks } from '../engine/types';
import type { ToolStep } from './conversation';
import type { ToolOutcome } from '../tools/types';
import { chatWithTools, TOOL_ROUND_LIMIT } from './tool-rounds';

const stats = (finishReason: CompletionStats['finishReason'], completionTokens = 5): CompletionStats => ({
  promptTokens: 10,
  completionTokens,
  timeToFirstTokenMs: 7,
  tokensPerSecond: 20,
  finishReason,
});

const call = (id: string, expression: string): EngineToolCall => ({
  id,
  type: 'function',
  function: { name: 'calculator', arguments: JSON.stringify({ expression }) },
});

/** A fake engine: each round's reply from a script; it records every request it got. */
function fakeEngine(rounds: ({ text?: string; calls?: EngineToolCall[] } | 'forever')[]) {
  const requests: ChatRequest[] = [];
  const chat = async (request: ChatRequest, callbacks: StreamCallbacks): Promise<CompletionStats> => {
    requests.push(structuredClone(request));
    const round = rounds[Math.min(requests.length - 1, rounds.length - 1)]!;
    const script = round === 'forever' ? { calls: [call(`c${requests.length}`, '1+1')] } : round;
    if (script.text) callbacks.onToken(script.text);
    if (script.calls) {
      for (const made of script.calls) callbacks.onToolCallStart?.(made.function.name);
      callbacks.onToolCalls?.(script.calls);
      return stats('tool_calls');
    }
    return stats('stop');
  };
  return { chat, requests };
}

const request: ChatRequest = {
  messages: [{ role: 'user', content: 'What is 6 * 7?' }],
  settings: { temperature: 0, topP: 1, maxTokens: 64 },
  tools: [],
};

function run(engine: ReturnType<typeof fakeEngine>, tool: (args: string) => Promise<ToolOutcome>) {
  let answer = '';
  let steps: ToolStep[] = [];
  const calling: (string | undefined)[] = [];
  const done = chatWithTools({
    chat: engine.chat,
    request,
    callbacks: { onToken: (text) => (answer += text) },
    run: (c) => tool(c.arguments),
    onSteps: (now) => (steps = now),
    onCalling: (name) => calling.push(name),
  });
  return done.then((outcome) => ({ ...outcome, answer, steps, calling }));
}

describe('chatWithTools', () => {
  it('runs the call, gives its result back as a tool turn and streams the answer that follows', async () => {
    const engine = fakeEngine([{ calls: [call('a', '6 * 7')] }, { text: 'It is 42.' }]);
    const outcome = await run(engine, async () => ({ ok: true, result: '42' }));
    expect(outcome.answer).toBe('It is 42.');
    expect(outcome.steps).toEqual([{ id: 'a', name: 'calculator', arguments: '{"expression":"6 * 7"}', result: '42' }]);
    expect(outcome.limited).toBe(false);
    // The page hears which tool is being asked while the call is written, and when that is over.
    expect(outcome.calling).toEqual(['calculator', undefined, undefined]);
    expect(outcome.stats).toMatchObject({ completionTokens: 10, finishReason: 'stop' });
    expect(engine.requests[1]!.messages.slice(1)).toEqual([
      { role: 'assistant', content: '', tool_calls: [call('a', '6 * 7')] },
      { role: 'tool', tool_call_id: 'a', content: '42' },
    ]);
  });

  it('gives an error back to the model as text, and a tool that throws does not end the reply', async () => {
    const engine = fakeEngine([{ calls: [call('a', '1/0'), call('b', 'x')] }, { text: 'Sorry.' }]);
    let first = true;
    const outcome = await run(engine, async () => {
      if (first) return ((first = false), { ok: false, error: 'Division by zero has no result.' });
      throw new Error('broken');
    });
    expect(outcome.steps.map((s) => s.error)).toEqual(['Division by zero has no result.', 'broken']);
    expect(engine.requests[1]!.messages.at(-2)).toMatchObject({ content: 'Error: Division by zero has no result.' });
    expect(outcome.answer).toBe('Sorry.');
  });

  it(`stops after ${TOOL_ROUND_LIMIT} rounds of calls and says the model never answered`, async () => {
    const engine = fakeEngine(['forever']);
    let runs = 0;
    const outcome = await run(engine, async () => (runs++, { ok: true, result: '2' }));
    expect(runs).toBe(TOOL_ROUND_LIMIT);
    expect(outcome.steps).toHaveLength(TOOL_ROUND_LIMIT);
    expect(engine.requests).toHaveLength(TOOL_ROUND_LIMIT + 1);
    expect(outcome.limited).toBe(true);
  });
});
