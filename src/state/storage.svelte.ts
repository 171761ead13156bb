/**
 * The browser clearing Nook's stored data while it runs: every view is told to show what is
 * stored now, and the user is told what happened and what was kept.
 */
import { watchStorageCleared } from '../lib/storage/cleared';
import type { ConversationStore } from './conversations.svelte';
import type { DocumentsState } from './documents.svelte';
import type { ModelLibrary } from './models.svelte';
import type { SummarizeState } from './summarize.svelte';

export class StorageWatch {
  notice = $state<string | undefined>(undefined);
  readonly #conversations: ConversationStore;
  readonly #models: ModelLibrary;
  readonly #summarize: SummarizeState;
  readonly #documents: DocumentsState | undefined;

  constructor(
    conversations: ConversationStore,
    models: ModelLibrary,
    summarize: SummarizeState,
    documents?: DocumentsState,
  ) {
    this.#conversations = conversations;
    this.#models = models;
    this.#summarize = summarize;
    this.#documents = documents;
  }

  start(): () => void {
    if (typeof indexedDB === 'undefined') return () => undefined;
    return watchStorageCleared(() => void this.#cleared());
  }

  dismiss(): void {
    this.notice = undefined;
  }

  async #cleared(): Promise<void> {
    // Every open connection is being closed; the stores reopen on their next use, after that.
    await new Promise((resolve) => setTimeout(resolve, 100));
    this.#conversations.storageCleared();
    this.notice =
      'The browser deleted Nook’s saved data while it was open: saved conversations, summaries, documents and downloaded models are gone from this device. The conversation on screen was kept and saved again; add a model again (Models) to keep chatting after a reload.';
    await Promise.allSettled([this.#models.refresh(), this.#summarize.refreshHistory(), this.#documents?.refresh()]);
  }
}
