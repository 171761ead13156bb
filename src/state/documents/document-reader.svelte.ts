/** The document open in the Documents view's reader, at one of its passages (highlighted). */
import type { IndexerClient } from '../../lib/documents/indexer-client';
import type { OpenedDocument } from '../../lib/documents/library';

export interface ReaderState extends OpenedDocument {
  /** Index of the passage to show highlighted. */
  passage: number | undefined;
}

export class DocumentReaderState {
  #open = $state.raw<ReaderState | undefined>(undefined);
  #error = $state<string | undefined>(undefined);
  readonly #indexer: IndexerClient;

  constructor(indexer: IndexerClient) {
    this.#indexer = indexer;
  }

  get current(): ReaderState | undefined {
    return this.#open;
  }
  /** Why the last document asked for could not be opened. */
  get error(): string | undefined {
    return this.#error;
  }

  /** The reader at a document (and one of its passages, highlighted), or closed. */
  async open(documentId: string | undefined, passage?: number): Promise<void> {
    this.#error = undefined;
    if (!documentId) {
      this.#open = undefined;
      return;
    }
    if (this.#open?.record.id === documentId) {
      this.#open = { ...this.#open, passage };
      return;
    }
    try {
      this.#open = { ...(await this.#indexer.call('open', { documentId })), passage };
    } catch (error) {
      this.#open = undefined;
      this.#error = error instanceof Error ? error.message : String(error);
    }
  }

  /** The document was deleted: a reader on it closes. */
  forget(documentId: string): void {
    if (this.#open?.record.id === documentId) this.#open = undefined;
  }
}
