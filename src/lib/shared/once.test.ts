import { describe, expect, it } from 'vitest';
import { once } from './once';

describe('once', () => {
  it('loads once and hands every caller the same result', async () => {
    let calls = 0;
    const load = once(async () => ++calls);
    const [a, b] = await Promise.all([load(), load()]);
    expect([a, b, await load()]).toEqual([1, 1, 1]);
    expect(calls).toBe(1);
  });

  it('tries again after a failed load', async () => {
    let calls = 0;
    const load = once(async () => {
      calls++;
      if (calls === 1) throw new Error('offline');
      return 'loaded';
    });
    await expect(load()).rejects.toThrow('offline');
    await expect(load()).resolves.toBe('loaded');
    expect(calls).toBe(2);
  });
});
