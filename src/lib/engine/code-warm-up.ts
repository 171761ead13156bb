/**
 * The code warm-up: while the user's first big model downloads, the GGUF engine's WebAssembly is
 * compiled once, so that the model's first load does not compile it at the same time.
 *
 * V8 compiles a wasm module quickly first (Liftoff), then recompiles its hot functions in the
 * background (TurboFan), and keeps that optimised code with the cached response once no new code
 * came for a while. Until then every load compiles again, and a big model's first load pays for
 * that compile in time and memory on top of its own. So while the network is the bottleneck, a
 * worker of its own loads a generated tiny model (vite-plugins/warm-up-model.ts), writes a short
 * reply, waits until the code was kept, and ends.
 *
 * It runs once per build of the engine's code (`codeKey`, the wasm's hashed address), only for
 * downloads big enough for the difference to matter, and it never stands in the way: a load of
 * the user's model stops it, and any failure is only the cost of a slower first load.
 */
import { delay } from '../shared/delay';
import type { Engine } from './types';
import { WARM_UP_CONTEXT, WARM_UP_MODEL_ID } from './warm-up-source';

/** Smaller models load in well under a second either way: no warm-up for them. */
export const WARM_UP_MIN_BYTES = 100 * 1024 * 1024;
/** V8 writes the optimised code after 2 s without new code (`wasm_caching_timeout_ms`); a margin. */
export const CACHE_WRITE_WAIT_MS = 3000;
/** Enough decode steps for the hot paths of a reply to be optimised. */
const REPLY_TOKENS = 32;

export interface CodeWarmUpOptions {
  /** A fresh engine in a worker of its own (WorkerEngine over the GGUF worker), disposed after. */
  createEngine: () => Engine;
  /** Which build of the engine's code this page runs; a new build is warmed up again. */
  codeKey: () => Promise<string>;
  /** The code key last warmed up, kept across visits. */
  record: { read: () => Promise<string | undefined>; write: (key: string) => Promise<void> };
  /** Waits `ms` unless the signal aborts first (tests pass one that returns at once). */
  wait?: (ms: number, signal: AbortSignal) => Promise<void>;
}

interface Run {
  controller: AbortController;
  /** Its engine, once started: disposing it terminates the worker and frees what it held. */
  engine?: Engine;
}

export class CodeWarmUp {
  readonly #options: CodeWarmUpOptions;
  #running: Run | undefined;

  constructor(options: CodeWarmUpOptions) {
    this.#options = options;
  }

  get running(): boolean {
    return this.#running !== undefined;
  }

  /**
   * Warms up for a download of `bytes` (undefined: size unknown, no warm-up). Resolves with
   * whether it ran to the end and was recorded; never rejects.
   */
  async start(bytes: number | undefined): Promise<boolean> {
    if (bytes === undefined || bytes < WARM_UP_MIN_BYTES || this.#running) return false;
    const run: Run = { controller: new AbortController() };
    this.#running = run;
    const { signal } = run.controller;
    const { createEngine, codeKey, record, wait = delay } = this.#options;
    try {
      const key = await codeKey();
      if ((await record.read()) === key || signal.aborted) return false;
      const engine = (run.engine = createEngine());
      await engine.load(
        { backend: 'wllama', id: WARM_UP_MODEL_ID },
        { contextLength: WARM_UP_CONTEXT },
        () => undefined,
        signal,
      );
      await engine.chat(
        {
          messages: [{ role: 'user', content: 'Hello' }],
          settings: { temperature: 0, topP: 1, maxTokens: REPLY_TOKENS },
        },
        { onToken: () => undefined },
        signal,
      );
      await wait(CACHE_WRITE_WAIT_MS, signal);
      if (signal.aborted) return false;
      await record.write(key);
      return true;
    } catch {
      return false;
    } finally {
      run.engine?.dispose();
      if (this.#running === run) this.#running = undefined;
    }
  }

  /** Ends a warm-up at once (a load of the user's model is about to start); it is not recorded. */
  stop(): void {
    const run = this.#running;
    if (!run) return;
    this.#running = undefined;
    run.controller.abort();
    run.engine?.dispose();
  }
}
