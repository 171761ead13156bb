import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DebouncedWriter } from './debounced-writer';

describe('DebouncedWriter', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('writes each key once per delay, with its newest value', async () => {
    const writes: string[] = [];
    const writer = new DebouncedWriter<string>(
      async (v) => void writes.push(v),
      500,
      () => {},
    );
    let text = '';
    for (let i = 0; i < 100; i++) {
      text += 'x';
      writer.schedule('a', () => text);
    }
    expect(writes).toEqual([]);
    await vi.advanceTimersByTimeAsync(500);
    expect(writes).toEqual(['x'.repeat(100)]);
  });

  it('flush writes everything pending now, cancel drops a key', async () => {
    const writes: string[] = [];
    const writer = new DebouncedWriter<string>(
      async (v) => void writes.push(v),
      500,
      () => {},
    );
    writer.schedule('a', () => 'A');
    writer.schedule('b', () => 'B');
    writer.cancel('b');
    await writer.flush();
    expect(writes).toEqual(['A']);
    expect(writer.pending).toBe(0);
    await vi.advanceTimersByTimeAsync(1000);
    expect(writes).toEqual(['A']);
  });

  it('reports a failed write and keeps going', async () => {
    const errors: unknown[] = [];
    const writer = new DebouncedWriter<string>(
      async (v) => {
        if (v === 'bad') throw new Error('quota');
      },
      10,
      (e) => errors.push(e),
    );
    writer.schedule('a', () => 'bad');
    await writer.flush();
    expect(errors).toHaveLength(1);
  });
});
