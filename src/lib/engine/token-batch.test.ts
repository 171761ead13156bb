import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TokenBatcher } from './token-batch';

describe('TokenBatcher', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('sends the first token at once and later ones at most once a frame, nothing lost or reordered', () => {
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
