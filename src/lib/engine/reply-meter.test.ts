import { describe, expect, it } from 'vitest';
import { EngineError } from './errors';
import { ReplyGate, ReplyMeter } from './reply-meter';

/** A clock the test moves by hand. */
function manualClock(start = 1000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => void (now += ms) };
}

describe('ReplyMeter', () => {
  it('times the first token and measures decode speed after it', () => {
    const clock = manualClock();
    const meter = new ReplyMeter(clock.now);
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
    const meter = new ReplyMeter(clock.now);
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
    const meter = new ReplyMeter(manualClock().now);
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
    const meter = new ReplyMeter(manualClock().now);
    const seen: string[] = [];
    const onToken = (text: string) => seen.push(text);
    expect(meter.take({ delta: { content: 'Hi' } }, onToken)).toBe(false);
    expect(meter.take({ delta: { content: '' } }, onToken)).toBe(false);
    expect(meter.take(undefined, onToken)).toBe(false);
    expect(meter.take({ delta: { content: '!' }, finish_reason: 'length' }, onToken)).toBe(true);
    expect(seen).toEqual(['Hi', '!']);
    expect(meter.finish({}, 'length').completionTokens).toBe(2);
  });
});
