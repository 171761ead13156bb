/** Creates the job stores after the first paint (see jobs-context.svelte.ts) and starts them. */
import { AssistantsState } from '../assistants/assistants.svelte';
import { AttachmentsState } from '../chat/attachments.svelte';
import type { ConversationsState } from '../chat/conversations.svelte';
import { DocumentsState } from '../documents/documents.svelte';
import { IncomingState } from '../intake/incoming.svelte';
import type { EngineState } from '../engine/engine.svelte';
import type { JobStores } from './jobs-context.svelte';
import type { ServersState } from '../servers/servers.svelte';
import { SummarizeState } from '../summarize/summarize.svelte';
import { TranslateState } from '../translate/translate.svelte';

export function createJobStores(
  engine: EngineState,
  servers: ServersState,
  yieldEngine: () => Promise<void>,
  conversations: ConversationsState,
): JobStores {
  const documents = new DocumentsState(engine, yieldEngine);
  const summarize = new SummarizeState(engine, yieldEngine, servers);
  const translate = new TranslateState(engine, yieldEngine, servers);
  const stores = {
    summarize,
    documents,
    attachments: new AttachmentsState(conversations, documents.library),
    translate,
    incoming: new IncomingState({ summarize, library: documents.library, translate }),
    assistants: new AssistantsState(conversations),
  };
  void stores.summarize.start();
  void stores.documents.refresh();
  void stores.translate.start();
  void stores.incoming.start();
  void stores.assistants.start();
  return stores;
}
