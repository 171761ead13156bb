/**
 * The job stores (Summarize, Documents with chat attachments, Translate) and their code are not needed to show the
 * chat, so they are created right after the first paint (`state/jobs.ts`, imported lazily). This
 * handle is what exists before: `stores` once they are there, `ready` to wait for them. The job
 * views are loaded together with `ready`, so inside them the stores always exist.
 */
import type { AttachmentsState } from '../chat/attachments.svelte';
import type { DocumentsState } from '../documents/documents.svelte';
import type { IncomingState } from '../intake/incoming.svelte';
import type { SummarizeState } from '../summarize/summarize.svelte';
import type { TranslateState } from '../translate/translate.svelte';

export interface JobStores {
  summarize: SummarizeState;
  documents: DocumentsState;
  /** Documents attached to the open conversation (on the Documents library). */
  attachments: AttachmentsState;
  translate: TranslateState;
  /** What was shared with Nook or opened with it, waiting for the user's choice of view. */
  incoming: IncomingState;
}

export class JobsHandle {
  #stores = $state.raw<JobStores | undefined>();
  #resolve: (stores: JobStores) => void = () => undefined;
  readonly ready = new Promise<JobStores>((resolve) => (this.#resolve = resolve));

  get stores(): JobStores | undefined {
    return this.#stores;
  }

  /** The stores, for code that runs only once they exist (the job views). */
  require(): JobStores {
    if (!this.#stores) throw new Error('The job stores are used before they were created.');
    return this.#stores;
  }

  attach(stores: JobStores): void {
    this.#stores = stores;
    this.#resolve(stores);
  }
}
