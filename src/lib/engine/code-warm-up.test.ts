import { describe, expect, it } from 'vitest';
import { CodeWarmUp, WARM_UP_MIN_BYTES } from './code-warm-up';
import { FakeEngine, fakeWorker } from './testing/fake-engine';
import { WorkerEngine } from './engine-client';
import { WARM_UP_MODEL_ID } from './warm-up-source';

const big = WARM_UP_MIN_BYTES * 3;

/** A worker engine that counts its disposals (disposing terminates its worker). */
class WatchedEngine extends WorkerEngine {
  disposals = 0;
  override dispose(): void {
    this.disposals++;
    super.dispose();
  }
}

/** A warm-up over a fake engine worker, with its record in memory and a wait the test ends. */
function warmUp(options: { key?: string; fake?: FakeEngine; holdWait?: boolean } = {}) {
  const fake = options.fake ?? new FakeEngine();
  const engines: WatchedEngine[] = [];
  const kept: { key: string | undefined } = { key: undefined };
  let endWait: () => void = () => undefined;
  const waited: number[] = [];
  const warm = new CodeWarmUp({
    createEngine: () => {
      const engine = new WatchedEngine(fakeWorker(fake));
      engines.push(engine);
      return engine;
    },
    codeKey: async () => options.key ?? 'wllama-abc.wasm',
    record: { read: async () => kept.key, write: async (key) => void (kept.key = key) },
    wait: (ms, signal) =>
      new Promise<void>((resolve) => {
        waited.push(ms);
        if (!options.holdWait) return resolve();
        endWait = resolve;
        signal.addEventListener('abort', () => resolve(), { once: true });
      }),
  });
  return { warm, fake, engines, kept, waited, endWait: () => endWait() };
}

describe('CodeWarmUp (compiling the engine once while a big model downloads)', () => {
  it('loads the warm-up model, writes a reply, waits for the code to be kept, and records its build', async () => {
    const { warm, fake, kept, waited, engines } = warmUp();
    expect(await warm.start(big)).toBe(true);
    expect(fake.log).toEqual([`load ${WARM_UP_MODEL_ID}`, 'chat']);
    // Its worker goes with it: the user's model never shares memory with it.
    expect(engines.map((engine) => engine.disposals)).toEqual([1]);
    expect(fake.calls[0]?.maxTokens).toBeGreaterThan(0);
    expect(waited).toEqual([3000]);
    expect(kept.key).toBe('wllama-abc.wasm');
    expect(warm.running).toBe(false);
  });

  it('runs once per build of the engine code, and again for a new build', async () => {
    const first = warmUp({ key: 'wllama-abc.wasm' });
    expect(await first.warm.start(big)).toBe(true);
    expect(await first.warm.start(big)).toBe(false);
    expect(first.fake.loads).toBe(1);

    const fake = new FakeEngine();
    const next = warmUp({ key: 'wllama-def.wasm', fake });
    next.kept.key = 'wllama-abc.wasm';
    expect(await next.warm.start(big)).toBe(true);
    expect(next.kept.key).toBe('wllama-def.wasm');
  });

  it('skips downloads of unknown size or too small for it to matter', async () => {
    const { warm, fake, kept } = warmUp();
    expect(await warm.start(undefined)).toBe(false);
    expect(await warm.start(WARM_UP_MIN_BYTES - 1)).toBe(false);
    expect(fake.log).toEqual([]);
    expect(kept.key).toBeUndefined();
  });

  it('stop() ends a running warm-up at once: its worker goes, nothing is recorded, a later one runs', async () => {
    const { warm, fake, kept, engines, waited } = warmUp({ holdWait: true });
    const running = warm.start(big);
    await expect.poll(() => waited.length).toBe(1);
    expect(warm.running).toBe(true);
    // A second start while one runs does not start another.
    expect(await warm.start(big)).toBe(false);
    warm.stop();
    expect(warm.running).toBe(false);
    expect(await running).toBe(false);
    expect(kept.key).toBeUndefined();
    expect(engines).toHaveLength(1);
    expect(engines[0]!.disposals).toBeGreaterThan(0);
    expect(fake.log).toEqual([`load ${WARM_UP_MODEL_ID}`, 'chat']);

    const again = warm.start(big);
    await expect.poll(() => waited.length).toBe(2);
    warm.stop();
    expect(await again).toBe(false);
  });

  it('a failure is only a slower first load: nothing recorded, nothing thrown', async () => {
    const fake = new FakeEngine({
      beforeReply: () => {
        throw new Error('out of memory');
      },
    });
    const { warm, kept, engines } = warmUp({ fake });
    expect(await warm.start(big)).toBe(false);
    expect(kept.key).toBeUndefined();
    expect(engines[0]!.disposals).toBe(1);
    expect(warm.running).toBe(false);
  });
});
