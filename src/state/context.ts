/** Hands the app's state objects down the component tree (no module singletons). */
import { getContext, setContext } from 'svelte';
import type { ChatSession } from './chat.svelte';
import type { ConversationStore } from './conversations.svelte';
import type { EngineState } from './engine.svelte';
import type { ModelLibrary } from './models.svelte';
import type { PwaState } from './pwa.svelte';
import type { SummarizeState } from './summarize.svelte';

export interface AppState {
  pwa: PwaState;
  models: ModelLibrary;
  engine: EngineState;
  chat: ChatSession;
  conversations: ConversationStore;
  summarize: SummarizeState;
}

const KEY = Symbol('nook-app-state');

export const provideAppState = (state: AppState): AppState => setContext(KEY, state);
export const useAppState = (): AppState => getContext<AppState>(KEY);
