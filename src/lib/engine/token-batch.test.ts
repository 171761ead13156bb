import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TOKEN_BATCH_MS, TokenBatcher } from './token-batch';

describe('TokenBatcher', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('sends the first token at once and later ones at most once an interval, nothing lost or reordered', () => {
    const sent: string[] = [];
    const batcher = new TokenBatcher(
      (text) => sent.push(text),
      16,
      () => Date.now(),
    );
    batcher.push('Nook');
    expect(sent).toEqual(['Nook']);
    for (const token of [' runs', ' entirely', ' on']) batcher.push(token);
    expect(sent).toEqual(['Nook']);
    vi.advanceTimersByTime(16);
    expect(sent).toEqual(['Nook', ' runs entirely on']);
    batcher.push(' your');
    vi.advanceTimersByTime(5);
    batcher.push(' device');
    expect(sent).toHaveLength(2);
    vi.advanceTimersByTime(11);
    expect(sent).toEqual(['Nook', ' runs entirely on', ' your device']);
  });

  it('wakes the page about once per redraw of the reply, however fast the engine is', () => {
    const sent: string[] = [];
    const batcher = new TokenBatcher(
      (text) => sent.push(text),
      undefined,
      () => Date.now(),
    );
    // 60 tokens/s for 3 s, as llama.cpp gives on the 37 MB bench model.
    const tokens = Array.from({ length: 180 }, (_, i) => ` t${i}`);
    for (const token of tokens) {
      batcher.push(token);
      vi.advanceTimersByTime(1000 / 60);
    }
    batcher.flush();
    expect(sent.join('')).toBe(tokens.join(''));
    expect(sent[0]).toBe(' t0');
    // The first token alone, then one message per interval: 3 s at 200 ms is ~16, not 180.
    expect(sent.length).toBeLessThanOrEqual(Math.ceil(3000 / TOKEN_BATCH_MS) + 2);
    expect(sent.length).toBeGreaterThan(3000 / TOKEN_BATCH_MS / 2);
  });

  it('a slow engine (a token every 250 ms) gets every token sent the moment it comes', () => {
    const sent: string[] = [];
    const batcher = new TokenBatcher(
      (text) => sent.push(text),
      undefined,
      () => Date.now(),
    );
    for (const token of ['a', 'b', 'c']) {
      batcher.push(token);
      expect(sent.at(-1)).toBe(token);
      vi.advanceTimersByTime(250);
    }
  });

  it('sends what it holds when flushed, before the reply ends, and nothing after', () => {
    const sent: string[] = [];
    const batcher = new TokenBatcher(
      (text) => sent.push(text),
      16,
      () => Date.now(),
    );
    batcher.push('a');
    batcher.push('b');
    batcher.flush();
    expect(sent).toEqual(['a', 'b']);
    vi.advanceTimersByTime(100);
    batcher.flush();
    expect(sent).toEqual(['a', 'b']);
  });
});
