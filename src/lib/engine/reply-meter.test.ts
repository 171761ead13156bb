import { describe, expect, it } from 'vitest';
import { EngineError } from './errors';
import { ReplyGate, ReplyMeter, type StreamedToolCall } from './reply-meter';
import type { EngineToolCall } from './types';

/** A clock the test moves by hand. */
function manualClock(start = 1000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => void (now += ms) };
}

describe('ReplyMeter', () => {
  it('times the first token and measures decode speed after it', () => {
    const clock = manualClock();
    const meter = new ReplyMeter(undefined, clock.now);
    clock.advance(250);
    meter.token();
    for (let i = 0; i < 10; i++) {
      clock.advance(100);
      meter.token();
    }
    const stats = meter.finish({ promptTokens: 12 }, 'stop');
    expect(stats).toEqual({
      promptTokens: 12,
      completionTokens: 11,
      timeToFirstTokenMs: 250,
      tokensPerSecond: 10,
      finishReason: 'stop',
    });
  });

  it("prefers the engine's own counts and rate to its own count", () => {
    const clock = manualClock();
    const meter = new ReplyMeter(undefined, clock.now);
    meter.token();
    clock.advance(1000);
    meter.token();
    const stats = meter.finish({ promptTokens: 3, completionTokens: 40, decodeRate: 77.5, prefillRate: 310 }, 'length');
    expect(stats.completionTokens).toBe(40);
    expect(stats.tokensPerSecond).toBe(77.5);
    expect(stats.prefillTokensPerSecond).toBe(310);
    expect(stats.finishReason).toBe('length');
  });

  it('reports zeros, not NaN, for a reply that streamed nothing', () => {
    const meter = new ReplyMeter(undefined, manualClock().now);
    expect(meter.finish({}, 'aborted')).toEqual({
      promptTokens: 0,
      completionTokens: 0,
      timeToFirstTokenMs: 0,
      tokensPerSecond: 0,
      finishReason: 'aborted',
    });
  });
});

describe('ReplyGate', () => {
  it('refuses a second reply while one runs, and frees itself after success or failure', async () => {
    const gate = new ReplyGate();
    let release!: () => void;
    const first = gate.run(() => new Promise<string>((resolve) => (release = () => resolve('one'))));
    await expect(gate.run(async () => 'two')).rejects.toMatchObject({ code: 'busy' });
    release();
    await expect(first).resolves.toBe('one');
    await expect(gate.run(() => Promise.reject(new EngineError('inference-failed', 'x')))).rejects.toThrow('x');
    await expect(gate.run(async () => 'three')).resolves.toBe('three');
  });
});

describe('ReplyMeter.take', () => {
  it('forwards and counts text, skips empty deltas, and reports a stop at the token limit', () => {
    const seen: string[] = [];
    const meter = new ReplyMeter({ onToken: (text) => seen.push(text) }, manualClock().now);
    expect(meter.take({ delta: { content: 'Hi' } })).toBe(false);
    expect(meter.take({ delta: { content: '' } })).toBe(false);
    expect(meter.take(undefined)).toBe(false);
    expect(meter.take({ delta: { content: '!' }, finish_reason: 'length' })).toBe(true);
    expect(seen).toEqual(['Hi', '!']);
    expect(meter.finish({}, 'length')).not.toHaveProperty('thinkingTokens');
  });

  /** A meter whose answer and thinking are collected apart, on a clock moved by hand. */
  function collecting() {
    const clock = manualClock();
    const heard = { answer: '', thinking: '' };
    const meter = new ReplyMeter(
      { onToken: (text) => (heard.answer += text), onThinking: (text) => (heard.thinking += text) },
      clock.now,
    );
    return { clock, heard, meter };
  }

  it.each([
    ['reasoning_content', 'llama.cpp and vLLM'],
    ['reasoning', "Ollama's OpenAI API"],
    ['thinking', "Ollama's own API"],
  ] as const)('keeps thinking the engine sends as %s (%s) apart from the answer, counted and timed', (field, _by) => {
    const { clock, heard, meter } = collecting();
    meter.take({ delta: { [field]: 'Two plus' } });
    clock.advance(100);
    meter.take({ delta: { [field]: ' two.' } });
    clock.advance(300);
    meter.take({ delta: { content: 'Four.' } });
    expect(heard).toEqual({ thinking: 'Two plus two.', answer: 'Four.' });
    expect(meter.finish({}, 'stop')).toMatchObject({ completionTokens: 3, thinkingTokens: 2, thinkingMs: 400 });
  });

  it('splits <think> tags an engine left in the text, and counts the tokens inside them as thinking', () => {
    const { clock, heard, meter } = collecting();
    for (const piece of ['<think>', 'Hmm', '.', '</think>', '\n\n', 'Yes', '.']) {
      meter.take({ delta: { content: piece } });
      clock.advance(10);
    }
    expect(heard).toEqual({ thinking: 'Hmm.', answer: 'Yes.' });
    expect(meter.finish({ completionTokens: 7 }, 'stop')).toMatchObject({
      completionTokens: 7,
      thinkingTokens: 3,
      thinkingMs: 40,
    });
  });

  it('gives a reply stopped mid-thought its thinking so far, timed up to the stop', () => {
    const { clock, heard, meter } = collecting();
    meter.take({ delta: { content: '<think>Let me' } });
    clock.advance(250);
    meter.take({ delta: { content: ' see' } });
    clock.advance(50);
    expect(meter.finish({}, 'aborted')).toMatchObject({ thinkingTokens: 2, thinkingMs: 300, finishReason: 'aborted' });
    expect(heard).toEqual({ thinking: 'Let me see', answer: '' });
  });

  it("prefers the engine's own count of reasoning tokens", () => {
    const { meter } = collecting();
    meter.take({ delta: { reasoning_content: 'a b c' } });
    meter.take({ delta: { content: 'd' } });
    expect(meter.finish({ completionTokens: 9, thinkingTokens: 6 }, 'stop')).toMatchObject({ thinkingTokens: 6 });
  });

  it("assembles a tool call llama.cpp streams in pieces, and tells it once the reply ends as 'tool_calls'", () => {
    const heard: EngineToolCall[][] = [];
    const started: string[] = [];
    const meter = new ReplyMeter(
      { onToken: () => {}, onToolCalls: (calls) => heard.push(calls), onToolCallStart: (name) => started.push(name) },
      manualClock().now,
    );
    const piece = (p: StreamedToolCall) => meter.take({ delta: { tool_calls: [p] } });
    piece({ index: 0, id: 'abc', type: 'function', function: { name: 'calculator', arguments: '{"expression": "' } });
    piece({ index: 0, function: { arguments: '2 + 2' } });
    piece({ index: 0, function: { arguments: '"}' } });
    // web-llm sends a second call whole, without an id.
    meter.take({ delta: { tool_calls: [{ function: { name: 'date_time', arguments: '{}' } }] } });
    expect(heard).toEqual([]);
    // Each call is told as it begins, once, so the page can say which tool is being asked.
    expect(started).toEqual(['calculator', 'date_time']);
    const stats = meter.finish({}, 'stop');
    expect(stats.finishReason).toBe('tool_calls');
    expect(heard).toEqual([
      [
        { id: 'abc', type: 'function', function: { name: 'calculator', arguments: '{"expression": "2 + 2"}' } },
        { id: 'call-1', type: 'function', function: { name: 'date_time', arguments: '{}' } },
      ],
    ]);
  });

  it('tells no tool calls of a reply that was stopped', () => {
    const heard: EngineToolCall[][] = [];
    const meter = new ReplyMeter({ onToken: () => {}, onToolCalls: (calls) => heard.push(calls) }, manualClock().now);
    meter.take({ delta: { tool_calls: [{ index: 0, id: 'x', function: { name: 'calculator', arguments: '{"ex' } }] } });
    expect(meter.finish({}, 'aborted').finishReason).toBe('aborted');
    expect(heard).toEqual([]);
  });
});
