/**
 * Hooks the e2e suite uses to cause faults no test can cause from outside (an engine worker
 * dying). Exposed only when the browser is driven by automation (`navigator.webdriver`), and
 * harmless if called: they do what a crash would.
 */
import type { EngineState } from './engine.svelte';

export interface NookTestHooks {
  /** Kills the engine workers as a crash would. */
  killEngineWorkers(): void;
}

export function exposeTestHooks(engine: EngineState): void {
  if (!navigator.webdriver) return;
  const hooks: NookTestHooks = { killEngineWorkers: () => engine.killWorkersForTest() };
  (window as Window & { nookTest?: NookTestHooks }).nookTest = hooks;
}
