/**
 * The browser clearing Nook's stored data while it runs: every view is told to show what is
 * stored now, and the user is told what happened and what was kept.
 */
import { watchStorageCleared } from '../../lib/storage/cleared';
import type { ConversationsState } from '../chat/conversations.svelte';
import type { JobsHandle } from '../jobs/jobs-context.svelte';
import type { ModelsState } from '../models/models.svelte';

export class StorageState {
  notice = $state<string | undefined>(undefined);
  readonly #conversations: ConversationsState;
  readonly #models: ModelsState;
  readonly #jobs: JobsHandle | undefined;

  constructor(conversations: ConversationsState, models: ModelsState, jobs?: JobsHandle) {
    this.#conversations = conversations;
    this.#models = models;
    this.#jobs = jobs;
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
    // Job stores not created yet read what is stored when they are.
    const stores = this.#jobs?.stores;
    await Promise.allSettled([this.#models.refresh(), stores?.summarize.saved.refresh(), stores?.documents.refresh()]);
  }
}
