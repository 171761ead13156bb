import { describe, expect, it } from 'vitest';
import { assertNever } from './assert-never';
import { ChannelWorker } from './testing/channel-worker';
import { WorkerBridge, type AbortPlan, type Heard, type WorkerLoss } from './worker-bridge';

/** A protocol of its own for the test: echo at once, count with progress, or wait to be told. */
type TestRequest =
  | { kind: 'echo'; id: number; text: string }
  | { kind: 'count'; id: number; upTo: number }
  | { kind: 'wait'; id: number }
  | { kind: 'release'; id: number; text: string }
  | { kind: 'measure'; id: number; bytes: ArrayBuffer };
type TestReply =
  | { kind: 'progress'; id: number; n: number }
  | { kind: 'done'; id: number; text: string }
  | { kind: 'failed'; id: number; message: string }
  | { kind: 'notice'; text: string };

class LostError extends Error {
  override name = 'LostError';
  constructor(readonly loss: WorkerLoss) {
    super(loss.kind === 'crashed' ? `The worker stopped: ${loss.detail}` : 'The worker sent an unreadable message.');
  }
}

interface Call {
  resolve(text: string): void;
  reject(error: Error): void;
  onProgress?(n: number): void;
}

/** The worker side: answers `wait` only when a `release` for it comes, and an empty echo with a failure. */
function serveTest(port: MessagePort) {
  const waiting = new Set<number>();
  port.addEventListener('message', ({ data }: MessageEvent<TestRequest>) => {
    const reply = (message: TestReply) => port.postMessage(message);
    switch (data.kind) {
      case 'echo':
        return reply(
          data.text
            ? { kind: 'done', id: data.id, text: data.text }
            : { kind: 'failed', id: data.id, message: 'empty' },
        );
      case 'count':
        for (let n = 1; n <= data.upTo; n++) reply({ kind: 'progress', id: data.id, n });
        return reply({ kind: 'done', id: data.id, text: `counted ${data.upTo}` });
      case 'wait':
        waiting.add(data.id);
        return;
      case 'release':
        if (waiting.delete(data.id)) reply({ kind: 'done', id: data.id, text: data.text });
        return;
      case 'measure':
        return reply({ kind: 'done', id: data.id, text: `${data.bytes.byteLength} bytes` });
      default:
        assertNever(data);
    }
  });
}

function setUp() {
  const workers: ChannelWorker[] = [];
  const lost: LostError[] = [];
  const notices: string[] = [];
  /** Every reply that reached a call, as `kind id`. */
  const heard: string[] = [];
  const bridge = new WorkerBridge<TestRequest, TestReply, Call, LostError>(
    () => {
      const worker = new ChannelWorker(serveTest);
      workers.push(worker);
      return worker;
    },
    {
      receive(reply, call): Heard {
        heard.push(`${reply.kind} ${reply.id}`);
        switch (reply.kind) {
          case 'progress':
            call.onProgress?.(reply.n);
            return 'open';
          case 'done':
            call.resolve(reply.text);
            return 'settled';
          case 'failed':
            call.reject(new Error(reply.message));
            return 'settled';
          default:
            return assertNever(reply);
        }
      },
      unasked: (message) => notices.push(message.text),
      lostError: (loss) => new LostError(loss),
      onLost: (error) => lost.push(error),
    },
  );
  const ask = (
    request: Parameters<typeof bridge.call>[0],
    options: { signal?: AbortSignal; onAbort?: AbortPlan<TestRequest>; transfer?: Transferable[] } = {},
    onProgress?: (n: number) => void,
  ) =>
    new Promise<string>((resolve, reject) => {
      bridge.call(request, { resolve, reject, ...(onProgress ? { onProgress } : {}) }, options);
    });
  return { bridge, workers, lost, notices, heard, ask };
}

/** What a call ended with, read after it settled either way. */
const settledWith = (promise: Promise<unknown>): Promise<{ value?: unknown; error?: Error }> =>
  promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error: error as Error }),
  );

describe('WorkerBridge', () => {
  it('starts the worker on the first call and routes every reply to its own call by id', async () => {
    const { bridge, workers, ask } = setUp();
    expect(workers).toHaveLength(0);
    expect(bridge.running).toBe(false);
    const progress: number[] = [];
    const waiting = ask({ kind: 'wait' });
    const counting = ask({ kind: 'count', upTo: 3 }, {}, (n) => progress.push(n));
    const echoed = ask({ kind: 'echo', text: 'hello' });
    expect(await counting).toBe('counted 3');
    expect(progress).toEqual([1, 2, 3]);
    expect(await echoed).toBe('hello');
    await expect(ask({ kind: 'echo', text: '' })).rejects.toThrow('empty');
    // The first call was answered last, and only its own answer settles it.
    bridge.post({ kind: 'release', id: 1, text: 'released' });
    expect(await waiting).toBe('released');
    expect(workers).toHaveLength(1);
  });

  it('moves transferred buffers to the worker instead of copying them', async () => {
    const { ask } = setUp();
    const bytes = new ArrayBuffer(1024);
    expect(await ask({ kind: 'measure', bytes }, { transfer: [bytes] })).toBe('1024 bytes');
    expect(bytes.byteLength).toBe(0); // detached: it moved
  });

  it('a crash rejects every pending call with the typed error, says so, and the next call starts a fresh worker', async () => {
    const { bridge, workers, lost, ask } = setUp();
    const first = settledWith(ask({ kind: 'wait' }));
    const second = settledWith(ask({ kind: 'wait' }));
    workers[0]!.crash('Uncaught RangeError: out of memory');
    for (const outcome of [await first, await second]) {
      expect(outcome.error).toBeInstanceOf(LostError);
      expect(outcome.error).toMatchObject({
        name: 'LostError',
        message: 'The worker stopped: Uncaught RangeError: out of memory',
      });
    }
    expect(lost.map((error) => error.loss.kind)).toEqual(['crashed']);
    expect(workers[0]!.terminated).toBe(true);
    expect(bridge.running).toBe(false);

    expect(await ask({ kind: 'echo', text: 'again' })).toBe('again');
    expect(workers).toHaveLength(2);
  });

  it('a message that cannot be read rejects the pending calls with a clear error, and the worker is replaced', async () => {
    const { workers, lost, ask } = setUp();
    const pending = settledWith(ask({ kind: 'wait' }));
    workers[0]!.sendUnreadable();
    expect((await pending).error).toMatchObject({ message: 'The worker sent an unreadable message.' });
    expect(lost.map((error) => error.loss.kind)).toEqual(['unreadable']);
    expect(await ask({ kind: 'echo', text: 'fresh' })).toBe('fresh');
    expect(workers).toHaveLength(2);
  });

  it('an event from a worker already replaced touches nothing', async () => {
    const { bridge, workers, lost, ask } = setUp();
    const pending = settledWith(ask({ kind: 'wait' }));
    workers[0]!.crash();
    await pending;
    const next = ask({ kind: 'wait' });
    workers[0]!.crash();
    workers[0]!.sendUnreadable();
    expect(lost).toHaveLength(1);
    expect(workers[1]!.terminated).toBe(false);
    bridge.post({ kind: 'release', id: 2, text: 'still here' });
    expect(await next).toBe('still here');
  });

  it('an abort drops that call alone: the others go on, and its late answer is dropped', async () => {
    const { bridge, heard, ask } = setUp();
    const controller = new AbortController();
    const dropped = ask({ kind: 'wait' }, { signal: controller.signal });
    const other = ask({ kind: 'wait' });
    controller.abort();
    await expect(dropped).rejects.toMatchObject({ name: 'AbortError' });
    bridge.post({ kind: 'release', id: 1, text: 'too late' });
    bridge.post({ kind: 'release', id: 2, text: 'kept' });
    expect(await other).toBe('kept');
    expect(heard).toEqual(['done 2']);
    expect(bridge.running).toBe(true);
  });

  it('a signal aborted before the call posts nothing and starts no worker', async () => {
    const { workers, ask } = setUp();
    const aborted = ask(
      { kind: 'echo', text: 'x' },
      { signal: AbortSignal.abort(), onAbort: { drop: () => new Error('gone') } },
    );
    await expect(aborted).rejects.toThrow('gone');
    expect(workers).toHaveLength(0);
  });

  it('an abort that tells the worker leaves the call to the worker’s answer', async () => {
    const { ask } = setUp();
    const controller = new AbortController();
    const told = ask(
      { kind: 'wait' },
      { signal: controller.signal, onAbort: { tell: (id) => ({ kind: 'release', id, text: 'stopped' }) } },
    );
    controller.abort();
    expect(await told).toBe('stopped');
  });

  it('an abort planned as the hard stop terminates the worker and rejects every pending call, without a loss', async () => {
    const { workers, lost, ask } = setUp();
    const controller = new AbortController();
    const stopped = settledWith(
      ask({ kind: 'wait' }, { signal: controller.signal, onAbort: { terminate: () => new Error('cancelled') } }),
    );
    const other = settledWith(ask({ kind: 'wait' }));
    controller.abort();
    expect((await stopped).error?.message).toBe('cancelled');
    expect((await other).error?.message).toBe('cancelled');
    expect(workers[0]!.terminated).toBe(true);
    expect(lost).toEqual([]);
    expect(await ask({ kind: 'echo', text: 'next' })).toBe('next');
    expect(workers).toHaveLength(2);
  });

  it('terminate() ends the worker and rejects what is pending; the next call starts a fresh one', async () => {
    const { bridge, workers, lost, ask } = setUp();
    bridge.terminate(new Error('nothing to stop')); // no worker yet: nothing happens
    expect(workers).toHaveLength(0);
    const pending = settledWith(ask({ kind: 'wait' }));
    bridge.terminate(new Error('shut down'));
    expect((await pending).error?.message).toBe('shut down');
    expect(workers[0]!.terminated).toBe(true);
    expect(bridge.running).toBe(false);
    expect(lost).toEqual([]);
    expect(await ask({ kind: 'echo', text: 'up again' })).toBe('up again');
    expect(workers).toHaveLength(2);
  });

  it('hands what the worker sends unasked to its own handler', async () => {
    const { notices, workers, ask } = setUp();
    await ask({ kind: 'echo', text: 'start' });
    workers[0]!.port.postMessage({ kind: 'notice', text: 'GPU lost' } satisfies TestReply);
    await ask({ kind: 'echo', text: 'after' }); // the channel keeps order
    expect(notices).toEqual(['GPU lost']);
  });
});
