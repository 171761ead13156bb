import { describe, expect, it } from 'vitest';
import { delay } from './delay';

describe('delay', () => {
  it('waits its time, or ends early on an abort or when `until` settles, and never rejects', async () => {
    let waited = false;
    await delay(1).then(() => (waited = true));
    expect(waited).toBe(true);

    const controller = new AbortController();
    const aborted = delay(Infinity, controller.signal);
    controller.abort();
    await expect(aborted).resolves.toBeUndefined();
    await expect(delay(Infinity, controller.signal)).resolves.toBeUndefined(); // already aborted

    await expect(delay(Infinity, undefined, Promise.resolve())).resolves.toBeUndefined();
    await expect(delay(Infinity, undefined, Promise.reject(new Error('gone')))).resolves.toBeUndefined();
  });
});
