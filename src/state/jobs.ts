/** Creates the job stores after the first paint (see jobs-context.svelte.ts) and starts them. */
import { ChatAttachments } from './attachments.svelte';
import type { ConversationStore } from './conversations.svelte';
import { DocumentsState } from './documents.svelte';
import { IncomingState } from './incoming.svelte';
import type { EngineState } from './engine.svelte';
import type { JobStores } from './jobs-context.svelte';
import type { ServerStore } from './servers.svelte';
import { SummarizeState } from './summarize.svelte';
import { TranslateState } from './translate.svelte';

export function createJobStores(
  engine: EngineState,
  servers: ServerStore,
  yieldEngine: () => Promise<void>,
  conversations: ConversationStore,
): JobStores {
  const documents = new DocumentsState(engine, yieldEngine);
  const summarize = new SummarizeState(engine, yieldEngine, servers);
  const translate = new TranslateState(engine, yieldEngine, servers);
  const stores = {
    summarize,
    documents,
    attachments: new ChatAttachments(conversations, documents.library),
    translate,
    incoming: new IncomingState({ summarize, library: documents.library, translate }),
  };
  void stores.summarize.start();
  void stores.documents.refresh();
  void stores.translate.start();
  void stores.incoming.start();
  return stores;
}
