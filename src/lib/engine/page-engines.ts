/**
 * The page's engines: one worker proxy per backend, started on first use, behind one
 * BackendRouter. Each proxy reports the loss of its worker (a crash, a lost GPU device) with its
 * backend, so EngineState can tell whether the user's model went with it. A new backend plugs in
 * here: one worker factory per BackendKind.
 */
import { BackendRouter } from './backend-router';
import type { WorkerLike } from '../shared/worker-bridge';
import type { EngineError } from './errors';
import type { BackendKind } from './types';
import { WorkerEngine } from './engine-client';

export type EngineWorkers = Record<BackendKind, () => WorkerLike>;

/** Vite bundles each worker from this exact `new Worker(new URL(…, import.meta.url))` form. */
export const ENGINE_WORKERS: EngineWorkers = {
  wllama: () => new Worker(new URL('./gguf.worker.ts', import.meta.url), { type: 'module', name: 'nook-gguf-engine' }),
  'web-llm': () => new Worker(new URL('./mlc.worker.ts', import.meta.url), { type: 'module', name: 'nook-mlc-engine' }),
};

export class PageEngines {
  readonly router: BackendRouter;
  readonly #proxies: Partial<Record<BackendKind, WorkerEngine>> = {};

  constructor(workers: EngineWorkers, onLost: (backend: BackendKind, error: EngineError) => void) {
    const proxy = (backend: BackendKind) => {
      const engine = new WorkerEngine(workers[backend], { onLost: (error) => onLost(backend, error) });
      this.#proxies[backend] = engine;
      return engine;
    };
    this.router = new BackendRouter({ wllama: () => proxy('wllama'), 'web-llm': () => proxy('web-llm') });
  }

  /** Kills every engine worker as a crash would (the e2e suite's crash test). */
  killWorkers(): void {
    for (const engine of Object.values(this.#proxies)) engine.terminateWorker();
  }
}
