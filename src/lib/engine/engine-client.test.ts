import { describe, expect, it } from 'vitest';
import { EngineError, isAbortError } from './errors';
import { FakeEngine, connect } from './testing/fake-engine';
import { serveEngine } from './engine-serve';
import type { ChatMessage, ModelSource } from './types';
import { WorkerEngine } from './engine-client';

const source: ModelSource = { id: 'tiny', backend: 'wllama' };
const settings = { temperature: 0, topP: 1, maxTokens: 16 };
/** Echoes the last message, a token every 5 ms, so a Stop crossing the channel lands mid-reply. */
const echoEngine = () => new FakeEngine({ echo: true, tokenDelayMs: 5 });
const manyWords = Array.from({ length: 200 }, (_, i) => `w${i}`).join(' ');

describe('WorkerEngine ↔ serveEngine', () => {
  it('loads with progress and streams tokens across the boundary', async () => {
    const { proxy } = connect(echoEngine());
    const phases: string[] = [];
    const info = await proxy.load(source, {}, (p) => phases.push(p.phase));
    expect(info.modelId).toBe('tiny');
    expect(phases).toEqual(['reading', 'ready']);
    const tokens: string[] = [];
    const stats = await proxy.chat(
      { messages: [{ role: 'user', content: 'one two three' }], settings },
      { onToken: (t) => tokens.push(t) },
    );
    // The first token comes alone; later ones may arrive batched (at most one message a frame),
    // all of them, in order, before the stats.
    expect(tokens[0]).toBe('one');
    expect(tokens.join('')).toBe('onetwothree');
    expect(stats).toMatchObject({ completionTokens: 3, finishReason: 'stop' });
    proxy.dispose();
  });

  it('keeps the error code of a failure in the worker', async () => {
    const { proxy } = connect(echoEngine());
    const error = await proxy.load({ id: 'missing', backend: 'wllama' }, {}, () => {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).code).toBe('model-not-found');
    proxy.dispose();
  });

  it('a Stop ends the reply as aborted with what was streamed, not as a failure', async () => {
    const { proxy } = connect(echoEngine());
    await proxy.load(source, {}, () => {});
    const controller = new AbortController();
    const tokens: string[] = [];
    const stats = await proxy.chat(
      { messages: [{ role: 'user', content: manyWords }], settings: { ...settings, maxTokens: 500 } },
      {
        onToken: (t) => {
          tokens.push(t);
          if (tokens.length === 3) controller.abort();
        },
      },
      controller.signal,
    );
    expect(stats.finishReason).toBe('aborted');
    expect(tokens.length).toBeGreaterThanOrEqual(3);
    expect(tokens.length).toBeLessThan(200);
    expect(stats.completionTokens).toBe(tokens.join('').match(/w\d+/g)!.length);
    proxy.dispose();
  });

  it('a Stop before the reply began resolves as aborted with nothing streamed', async () => {
    const engine = echoEngine();
    const { proxy } = connect(engine);
    await proxy.load(source, {}, () => {});
    const tokens: string[] = [];
    const stats = await proxy.chat(
      { messages: [{ role: 'user', content: 'one two' }], settings },
      { onToken: (t) => tokens.push(t) },
      AbortSignal.abort(),
    );
    expect(stats).toMatchObject({ finishReason: 'aborted', completionTokens: 0 });
    expect(tokens).toEqual([]);
    expect(engine.calls).toHaveLength(0);
    proxy.dispose();
  });

  it('a real failure in the worker is an EngineError with its code, never an abort', async () => {
    const { proxy } = connect(new FakeEngine({ contextLength: 64 }));
    await proxy.load(source, {}, () => {});
    const error = await proxy
      .chat({ messages: [{ role: 'user', content: manyWords }], settings }, { onToken: () => {} })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineError);
    expect(error).toMatchObject({ code: 'context-overflow', tokens: { available: 64 } });
    expect(isAbortError(error)).toBe(false);
    proxy.dispose();
  });

  it('a dead worker rejects what is pending, and the next call starts a fresh one', async () => {
    const engine = echoEngine();
    const { proxy, created } = connect(engine);
    await proxy.load(source, {}, () => {});
    const pending = proxy.chat({ messages: [{ role: 'user', content: manyWords }], settings }, { onToken: () => {} });
    proxy.terminateWorker();
    const error = await pending.catch((e: unknown) => e);
    expect((error as EngineError).code).toBe('worker-crashed');
    expect(isAbortError(error)).toBe(false);

    await proxy.load(source, {}, () => {});
    expect(created).toHaveLength(2);
    expect(engine.loads).toBe(2);
    proxy.dispose();
  });

  it('cancelling a load terminates the worker and rejects with an AbortError, not an EngineError', async () => {
    const { proxy, created } = connect(echoEngine());
    const controller = new AbortController();
    const loading = proxy.load(source, {}, () => {}, controller.signal);
    controller.abort();
    const error = await loading.catch((e: unknown) => e);
    expect(isAbortError(error)).toBe(true);
    expect(error).not.toBeInstanceOf(EngineError);
    expect((error as Error).message).toBe('Loading was cancelled.');
    await proxy.load(source, {}, () => {});
    expect(created).toHaveLength(2);
    proxy.dispose();
  });

  it('shutting the engine down ends a reply under way as an abort', async () => {
    const { proxy } = connect(echoEngine());
    await proxy.load(source, {}, () => {});
    const pending = proxy.chat({ messages: [{ role: 'user', content: manyWords }], settings }, { onToken: () => {} });
    proxy.dispose();
    const error = await pending.catch((e: unknown) => e);
    expect(isAbortError(error)).toBe(true);
  });
});

describe('a lost engine', () => {
  it('a worker reporting its engine lost ends what is pending, says so, and is replaced', async () => {
    const lost: EngineError[] = [];
    const created: MessagePort[] = [];
    let reportLost: ((error: EngineError) => void) | undefined;
    const engine = echoEngine();
    const proxy = new WorkerEngine(
      () => {
        const { port1, port2 } = new MessageChannel();
        reportLost = serveEngine(port2, engine);
        port2.start();
        port1.start();
        created.push(port1);
        return Object.assign(port1, { terminate: () => port1.close() }) as unknown as Worker;
      },
      { onLost: (error) => lost.push(error) },
    );
    await proxy.load(source, {}, () => {});
    const pending = proxy.chat({ messages: [{ role: 'user', content: manyWords }], settings }, { onToken: () => {} });
    reportLost!(new EngineError('device-lost', 'The GPU stopped.'));
    const error = await pending.catch((e: unknown) => e);
    expect((error as EngineError).code).toBe('device-lost');
    expect(lost.map((e) => e.code)).toEqual(['device-lost']);
    await proxy.load(source, {}, () => {});
    expect(created).toHaveLength(2);
    proxy.dispose();
    expect(lost).toHaveLength(1); // disposing is no loss
  });

  it('a killed worker is reported lost even with nothing pending; no worker, nothing to report', () => {
    const lost: string[] = [];
    const proxy = new WorkerEngine(
      () => {
        const { port1, port2 } = new MessageChannel();
        serveEngine(port2, echoEngine());
        return Object.assign(port1, { terminate: () => port1.close() }) as unknown as Worker;
      },
      { onLost: (error) => lost.push(error.code) },
    );
    proxy.terminateWorker();
    expect(lost).toEqual([]);
    void proxy.unload();
    void proxy.load(source, {}, () => {}).catch(() => undefined);
    proxy.terminateWorker();
    expect(lost).toEqual(['worker-crashed']);
  });
});

describe('an engine worker that dies or sends what cannot be read', () => {
  it('a crash rejects every pending call as worker-crashed, reports the loss, and the next call starts afresh', async () => {
    const lost: EngineError[] = [];
    const engine = echoEngine();
    const { proxy, created } = connect(engine, { onLost: (error) => lost.push(error) });
    await proxy.load(source, {}, () => {});
    const chat = proxy.chat({ messages: [{ role: 'user', content: manyWords }], settings }, { onToken: () => {} });
    const embed = proxy.embed('text');
    created[0]!.crash('Uncaught RuntimeError: unreachable');
    for (const error of [await chat.catch((e: unknown) => e), await embed.catch((e: unknown) => e)]) {
      expect(error).toBeInstanceOf(EngineError);
      expect(error).toMatchObject({
        code: 'worker-crashed',
        message: 'The engine stopped unexpectedly: Uncaught RuntimeError: unreachable',
      });
    }
    expect(lost.map((error) => error.code)).toEqual(['worker-crashed']);
    expect(created[0]!.terminated).toBe(true);
    await proxy.load(source, {}, () => {});
    expect(created).toHaveLength(2);
    expect(engine.loads).toBe(2);
    proxy.dispose();
  });

  it('a reply that cannot be read rejects what is pending with a clear error and replaces the worker', async () => {
    const lost: EngineError[] = [];
    const { proxy, created } = connect(echoEngine(), { onLost: (error) => lost.push(error) });
    await proxy.load(source, {}, () => {});
    const chat = proxy.chat({ messages: [{ role: 'user', content: manyWords }], settings }, { onToken: () => {} });
    created[0]!.sendUnreadable();
    await expect(chat).rejects.toMatchObject({
      code: 'worker-crashed',
      message: 'The engine sent a message that could not be read.',
    });
    expect(lost).toHaveLength(1);
    await proxy.load(source, {}, () => {});
    expect(created).toHaveLength(2);
    proxy.dispose();
  });
});

describe('embeddings across the worker boundary (documents retrieval)', () => {
  it('returns the engine’s vector for one text, and a clear error from an engine that does not embed', async () => {
    const embedding = Object.assign(new FakeEngine(), {
      embed: async (text: string) => [text.length, 1, 0],
    });
    const { proxy } = connect(embedding);
    await proxy.load(source, {}, () => undefined);
    expect(await proxy.embed('four')).toEqual([4, 1, 0]);

    const { proxy: plain } = connect(echoEngine());
    await plain.load(source, {}, () => undefined);
    await expect(plain.embed('four')).rejects.toThrow('This model does not give embeddings.');
  });
});

describe('reading a prompt ahead across the worker boundary', () => {
  const ahead = [
    { role: 'system' as const, content: 'Be kind.' },
    { role: 'user' as const, content: '' },
  ];

  it('hands the messages to the engine and resolves once it has read them', async () => {
    const seen: ChatMessage[][] = [];
    let done = false;
    const reading = Object.assign(new FakeEngine(), {
      prepare: async (messages: ChatMessage[]) => {
        seen.push(messages);
        await new Promise((resolve) => setTimeout(resolve, 5));
        done = true;
      },
    });
    const { proxy } = connect(reading);
    await proxy.load(source, {}, () => undefined);
    await proxy.prepare(ahead);
    expect(seen).toEqual([ahead]);
    expect(done).toBe(true);
    proxy.dispose();
  });

  it('never fails: an engine without a prompt cache, or a worker lost meanwhile, just resolves', async () => {
    const { proxy: plain } = connect(echoEngine());
    await plain.load(source, {}, () => undefined);
    await expect(plain.prepare(ahead)).resolves.toBeUndefined();

    const stuck = Object.assign(new FakeEngine(), { prepare: () => new Promise<void>(() => undefined) });
    const { proxy } = connect(stuck);
    await proxy.load(source, {}, () => undefined);
    const reading = proxy.prepare(ahead);
    proxy.terminateWorker();
    await expect(reading).resolves.toBeUndefined();
  });
});

describe('WorkerEngine replies typed by request', () => {
  it('rejects a call answered with the wrong kind of reply instead of leaving it waiting', async () => {
    const proxy = new WorkerEngine(() => {
      const { port1, port2 } = new MessageChannel();
      // A worker that answers every request as if it were a load.
      port2.addEventListener('message', (event: MessageEvent<{ id: number }>) =>
        port2.postMessage({ kind: 'unloaded', id: event.data.id }),
      );
      port2.start();
      port1.start();
      return Object.assign(port1, { terminate: () => port1.close() }) as unknown as Worker;
    });
    const chat = proxy.chat({ messages: [{ role: 'user', content: 'hi' }], settings }, { onToken: () => {} });
    await expect(chat).rejects.toMatchObject({ code: 'inference-failed', message: /chat request with unloaded/ });
    proxy.dispose();
  });
});
