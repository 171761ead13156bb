/**
 * The job stores (Summarize, Documents with chat attachments, Translate) and their code are not
 * needed to show the chat, so they are created after start-up (`state/jobs/jobs.ts`, imported
 * lazily), or at once by the first thing that waits for them. This handle is what exists before:
 * `stores` once they are there, `ready` to wait for them (reading it starts the creation). The
 * job views are loaded together with `ready`, so inside them the stores always exist.
 */
import type { AssistantsState } from '../assistants/assistants.svelte';
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
  /** Presets a conversation starts from. */
  assistants: AssistantsState;
}

export class JobsHandle {
  #stores = $state.raw<JobStores | undefined>();
  #resolve: (stores: JobStores) => void = () => undefined;
  readonly #ready = new Promise<JobStores>((resolve) => (this.#resolve = resolve));
  readonly #create: () => Promise<JobStores>;
  #creating = false;

  /** @param create makes the stores (and loads their code). */
  constructor(create: () => Promise<JobStores>) {
    this.#create = create;
  }

  get stores(): JobStores | undefined {
    return this.#stores;
  }

  /** The stores once they exist; reading it creates them if nothing has yet. */
  get ready(): Promise<JobStores> {
    if (!this.#creating) {
      this.#creating = true;
      void this.#create().then(
        (stores) => {
          this.#stores = stores;
          this.#resolve(stores);
        },
        (error: unknown) => {
          // The chunk could not be fetched (offline before it was cached): the next reader retries.
          this.#creating = false;
          console.warn('The job stores could not be created', error);
        },
      );
    }
    return this.#ready;
  }

  /** The stores, for code that runs only once they exist (the job views). */
  require(): JobStores {
    if (!this.#stores) throw new Error('The job stores are used before they were created.');
    return this.#stores;
  }
}
