import { describe, expect, it } from 'vitest';
import { EngineError, isAbortError } from '../../lib/engine/errors';
import { FakeEngine, fakeWorker } from '../../lib/engine/testing/fake-engine';
import type { StoredGgufModel } from '../../lib/models/storage';
import { CodeWarmUp, WARM_UP_MIN_BYTES } from '../../lib/engine/code-warm-up';
import { WorkerEngine } from '../../lib/engine/engine-client';
import { LoadMarker } from '../../lib/engine/load-marker';
import { FakeBrowser } from '../../lib/engine/testing/fake-browser-locks';
import { EngineState } from './engine.svelte';

const tiny: StoredGgufModel = {
  schemaVersion: 2,
  id: 'tiny',
  name: 'Tiny model',
  sourceUrl: 'http://127.0.0.1/tiny.gguf',
  backend: 'wllama',
  sizeBytes: 1,
  architecture: 'llama',
  contextLength: 256,
  addedAt: 1,
};
const settings = { temperature: 0, topP: 1, maxTokens: 16 };

function engineState() {
  const fake = new FakeEngine({ echo: true, tokenDelayMs: 5 });
  const state = new EngineState({ workers: { wllama: fakeWorker(fake), 'web-llm': fakeWorker(fake) } });
  return { state, fake };
}

describe('EngineState (crash and recovery over a fake engine worker)', () => {
  it('loads a stored model and streams from it', async () => {
    const { state } = engineState();
    await state.load(tiny);
    expect(state.loaded?.modelId).toBe('tiny');
    expect(state.loading).toBeUndefined();
    const tokens: string[] = [];
    await state.chat({ messages: [{ role: 'user', content: 'a b' }], settings }, { onToken: (t) => tokens.push(t) });
    expect(tokens).toEqual(['a', 'b']);
  });

  it('a crash mid-reply unloads the model, says so once, and the next message can load it again', async () => {
    const { state, fake } = engineState();
    await state.load(tiny);
    const reply = state.chat(
      { messages: [{ role: 'user', content: 'one two three four five six' }], settings },
      { onToken: () => state.killWorkersForTest() },
    );
    await expect(reply).rejects.toMatchObject({ code: 'worker-crashed' });
    expect(state.loaded).toBeUndefined();
    expect(state.fault).toMatchObject({ code: 'worker-crashed', modelName: 'Tiny model' });
    expect(state.canRecover).toBe(true);
    expect(await state.recover()).toBe(true);
    expect(state.loaded?.modelId).toBe('tiny');
    expect(state.fault).toBeUndefined();
    expect(fake.loads).toBe(2);
  });

  it('a failed load is told in `error`; another tab holding the engine refuses a load', async () => {
    const { state } = engineState();
    await state.load({ ...tiny, id: 'missing' });
    expect(state.error).toBe('No such model.');
    expect(state.loaded).toBeUndefined();
    state.setRunsElsewhere(true);
    await state.load(tiny);
    expect(state.error).toMatch(/another tab/);
    state.setRunsElsewhere(false);
    await state.load(tiny);
    expect(state.error).toBeUndefined();
    expect(state.loaded?.modelId).toBe('tiny');
  });

  it('a cancelled load is no failure: nothing loaded, no error, no fault', async () => {
    const { state } = engineState();
    const loading = state.loadSource({ backend: 'wllama', id: 'tiny' });
    state.cancelLoad();
    const error = await loading.catch((e: unknown) => e);
    expect(isAbortError(error)).toBe(true);
    expect(error).not.toBeInstanceOf(EngineError);
    await state.load(tiny);
    state.cancelLoad();
    expect(state.loaded?.modelId).toBe('tiny');
    const cancelled = state.load({ ...tiny, id: 'other' });
    state.cancelLoad();
    await cancelled;
    expect(state.error).toBeUndefined();
    expect(state.fault).toBeUndefined();
    expect(state.loaded).toBeUndefined();
    expect(state.loading).toBeUndefined();
  });

  it('a model loaded with a smaller window than asked for (no memory for more) is told until dismissed or the next load', async () => {
    const fake = new FakeEngine({ contextLength: 2048, wantedContextLength: 4096 });
    const state = new EngineState({ workers: { wllama: fakeWorker(fake), 'web-llm': fakeWorker(fake) } });
    await state.load(tiny);
    expect(state.loaded?.contextLength).toBe(2048);
    expect(state.smallerWindow).toEqual({ name: 'Tiny model', contextLength: 2048, wanted: 4096 });
    state.dismissSmallerWindow();
    expect(state.smallerWindow).toBeUndefined();
    await state.load(tiny);
    expect(state.smallerWindow).toBeDefined();
    const loading = state.load({ ...tiny, id: 'missing' });
    expect(state.smallerWindow).toBeUndefined();
    await loading;
    // Nothing is told of a model no longer loaded (released to another tab, crashed, unloaded).
    await state.load(tiny);
    expect(state.smallerWindow).toBeDefined();
    state.release();
    expect(state.smallerWindow).toBeUndefined();
  });

  it('a model loaded with the window asked for tells nothing', async () => {
    const { state } = engineState();
    await state.load(tiny);
    expect(state.smallerWindow).toBeUndefined();
  });

  it('releasing the engine to another tab frees the model without calling it a fault', async () => {
    const { state } = engineState();
    await state.load(tiny);
    state.release();
    expect(state.loaded).toBeUndefined();
    expect(state.fault).toBeUndefined();
  });
});

describe('EngineState and the code warm-up during a download', () => {
  /** The user's engine and the warm-up's each over a fake worker; the warm-up waits until stopped. */
  function withWarmUp() {
    const fake = new FakeEngine({ echo: true });
    const warmFake = new FakeEngine();
    let waiting = false;
    const warmUp = new CodeWarmUp({
      createEngine: () => new WorkerEngine(fakeWorker(warmFake)),
      codeKey: async () => 'wllama.wasm',
      record: { read: async () => undefined, write: async () => undefined },
      wait: (_ms, signal) =>
        new Promise<void>((resolve) => {
          waiting = true;
          signal.addEventListener('abort', () => resolve(), { once: true });
        }),
    });
    const state = new EngineState({ workers: { wllama: fakeWorker(fake), 'web-llm': fakeWorker(fake) }, warmUp });
    return { state, fake, warmFake, warmUp, waiting: () => waiting };
  }
  const big = WARM_UP_MIN_BYTES * 4;

  it("a load of the user's model stops a running warm-up and loads as ever", async () => {
    const { state, warmFake, warmUp, waiting } = withWarmUp();
    const warming = state.warmUpFor(big);
    await expect.poll(waiting).toBe(true);
    expect(warmFake.loads).toBe(1);
    await state.load(tiny);
    expect(warmUp.running).toBe(false);
    expect(await warming).toBe(false);
    expect(state.loaded?.modelId).toBe('tiny');
  });

  it('no warm-up while a model is loaded: its code is compiled already', async () => {
    const { state, warmFake } = withWarmUp();
    await state.load(tiny);
    expect(await state.warmUpFor(big)).toBe(false);
    expect(warmFake.loads).toBe(0);
  });

  it('another tab taking the engine stops the warm-up too', async () => {
    const { state, warmUp, waiting } = withWarmUp();
    const warming = state.warmUpFor(big);
    await expect.poll(waiting).toBe(true);
    state.release();
    expect(warmUp.running).toBe(false);
    expect(await warming).toBe(false);
  });
});

describe('EngineState and a tab that died while loading (LoadMarker over fake storage and locks)', () => {
  /** A fake engine whose loads wait until the test lets them end. */
  class HeldLoads extends FakeEngine {
    release: () => void = () => undefined;
    override async load(...args: Parameters<FakeEngine['load']>) {
      await new Promise<void>((resolve) => (this.release = resolve));
      return super.load(...args);
    }
  }
  function withMarker(browser: FakeBrowser, tab = browser.tab(), fake: FakeEngine = new FakeEngine({ echo: true })) {
    const state = new EngineState({
      workers: { wllama: fakeWorker(fake), 'web-llm': fakeWorker(fake) },
      marker: new LoadMarker(tab.host),
    });
    return { state, tab };
  }
  const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

  it('marks a load while it runs, and tells the next start of a load whose tab died', async () => {
    const browser = new FakeBrowser();
    const held = new HeldLoads();
    const { state, tab } = withMarker(browser, browser.tab(), held);
    const loading = state.load(tiny);
    await settle();
    expect(browser.items.size).toBe(1);
    tab.crash(); // the tab is gone mid-load: nothing ends the marker

    const next = withMarker(browser).state;
    await next.checkInterrupted();
    expect(next.interrupted).toEqual({ modelId: 'tiny', name: 'Tiny model' });
    await next.load(tiny);
    expect(next.interrupted).toBeUndefined(); // a load puts the notice away
    held.release();
    await loading;
  });

  it('leaves no marker after a load that ended, failed or was released to another tab', async () => {
    const browser = new FakeBrowser();
    const { state } = withMarker(browser);
    await state.load(tiny);
    expect(browser.items.size).toBe(0);
    await state.load({ ...tiny, id: 'missing' });
    expect(browser.items.size).toBe(0);

    const held = new HeldLoads();
    const releasing = withMarker(browser, browser.tab(), held).state;
    void releasing.load(tiny);
    await settle();
    expect(browser.items.size).toBe(1);
    releasing.release(); // another tab took the engine over: this tab's marker goes at once
    expect(browser.items.size).toBe(0);
    const next = withMarker(browser).state;
    await next.checkInterrupted();
    expect(next.interrupted).toBeUndefined();
  });
});
