/** Hands the app's state objects down the component tree (no module singletons). */
import { getContext, setContext } from 'svelte';
import type { ChatSession } from './chat.svelte';
import type { ConversationStore } from './conversations.svelte';
import type { DocumentsState } from './documents.svelte';
import type { DeviceState } from './device.svelte';
import type { DraftStore } from './drafts.svelte';
import type { JobsHandle } from './jobs-context.svelte';
import type { EngineState } from './engine.svelte';
import type { ModelLibrary } from './models.svelte';
import type { PwaState } from './pwa.svelte';
import type { ServerStore } from './servers.svelte';
import type { StorageWatch } from './storage.svelte';
import type { SummarizeState } from './summarize.svelte';
import type { TabState } from './tabs.svelte';
import type { TranslateState } from './translate.svelte';

export interface AppState {
  pwa: PwaState;
  models: ModelLibrary;
  /** What the device offers (WebGPU adapter, memory), probed once at start-up. */
  device: DeviceState;
  engine: EngineState;
  chat: ChatSession;
  conversations: ConversationStore;
  /** The job stores, created after the first paint; the three below read them once they exist. */
  jobs: JobsHandle;
  readonly summarize: SummarizeState;
  readonly documents: DocumentsState;
  drafts: DraftStore;
  tabs: TabState;
  storage: StorageWatch;
  servers: ServerStore;
  readonly translate: TranslateState;
}

const KEY = Symbol('nook-app-state');

export const provideAppState = (state: AppState): AppState => setContext(KEY, state);
export const useAppState = (): AppState => getContext<AppState>(KEY);
