/** Creates the job stores after the first paint (see jobs-context.svelte.ts) and starts them. */
import { DocumentsState } from './documents.svelte';
import type { EngineState } from './engine.svelte';
import type { JobStores } from './jobs-context.svelte';
import type { ServerStore } from './servers.svelte';
import { SummarizeState } from './summarize.svelte';
import { TranslateState } from './translate.svelte';

export function createJobStores(
  engine: EngineState,
  servers: ServerStore,
  yieldEngine: () => Promise<void>,
): JobStores {
  const stores = {
    summarize: new SummarizeState(engine, yieldEngine, servers),
    documents: new DocumentsState(engine, yieldEngine),
    translate: new TranslateState(engine, yieldEngine, servers),
  };
  void stores.summarize.start();
  void stores.documents.refresh();
  void stores.translate.start();
  return stores;
}
