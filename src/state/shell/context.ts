/** Hands the app's state objects down the component tree (no module singletons). */
import { getContext, setContext } from 'svelte';
import type { AttachmentsState } from '../chat/attachments.svelte';
import type { ChatState } from '../chat/chat.svelte';
import type { ConversationsState } from '../chat/conversations.svelte';
import type { DocumentsState } from '../documents/documents.svelte';
import type { DeviceState } from '../engine/device.svelte';
import type { DraftsState } from '../chat/drafts.svelte';
import type { JobsHandle } from '../jobs/jobs-context.svelte';
import type { EngineState } from '../engine/engine.svelte';
import type { ModelsState } from '../models/models.svelte';
import type { MemoryState } from '../memory/memory.svelte';
import type { PwaState } from './pwa.svelte';
import type { ServersState } from '../servers/servers.svelte';
import type { StorageState } from '../storage/storage.svelte';
import type { SummarizeState } from '../summarize/summarize.svelte';
import type { TabsState } from '../tabs/tabs.svelte';
import type { TranslateState } from '../translate/translate.svelte';

export interface AppState {
  pwa: PwaState;
  models: ModelsState;
  /** What the device offers (WebGPU adapter, memory), probed once at start-up. */
  device: DeviceState;
  engine: EngineState;
  chat: ChatState;
  conversations: ConversationsState;
  /** The job stores, created after the first paint; the three below read them once they exist. */
  jobs: JobsHandle;
  readonly summarize: SummarizeState;
  readonly documents: DocumentsState;
  /** Documents attached to the open conversation (a job store: read by components loaded with them). */
  readonly attachments: AttachmentsState;
  drafts: DraftsState;
  tabs: TabsState;
  storage: StorageState;
  servers: ServersState;
  /** Facts remembered across chats. */
  memory: MemoryState;
  readonly translate: TranslateState;
}

const KEY = Symbol('nook-app-state');

export const provideAppState = (state: AppState): AppState => setContext(KEY, state);
export const useAppState = (): AppState => getContext<AppState>(KEY);
