/**
 * The documents attached to the open conversation: attach from the library, add a file that
 * joins the library and is attached, remove. Created with the job stores after the first paint,
 * on the Documents view's library.
 */
import type { AttachedDocument } from '../../lib/chat/conversation';
import type { DocumentRecord } from '../../lib/documents/library-db';
import type { ConversationsState } from './conversations.svelte';
import type { LibraryState } from '../documents/library.svelte';

export class AttachmentsState {
  /** Files being added from the composer (they join the library, then the conversation). */
  adding = $state(false);
  readonly #conversations: ConversationsState;
  readonly library: LibraryState;

  constructor(conversations: ConversationsState, library: LibraryState) {
    this.#conversations = conversations;
    this.library = library;
  }

  get attached(): readonly AttachedDocument[] {
    return this.#conversations.active?.attachments ?? [];
  }

  /** Whether an attached document is still in the library (undefined while the library loads). */
  present(documentId: string): boolean | undefined {
    return this.library.ready ? this.library.record(documentId) !== undefined : undefined;
  }

  isAttached(documentId: string): boolean {
    return this.attached.some((attached) => attached.documentId === documentId);
  }

  attach(records: readonly Pick<DocumentRecord, 'id' | 'name'>[]): void {
    const conversation = this.#conversations.active;
    if (!conversation) return;
    const fresh = records.filter((record) => !this.isAttached(record.id));
    if (fresh.length === 0) return;
    conversation.attachments = [
      ...(conversation.attachments ?? []),
      ...fresh.map((record) => ({ documentId: record.id, name: record.name })),
    ];
    this.#conversations.touch(conversation, { now: true });
  }

  detach(documentId: string): void {
    const conversation = this.#conversations.active;
    if (!conversation?.attachments) return;
    conversation.attachments = conversation.attachments.filter((attached) => attached.documentId !== documentId);
    this.#conversations.touch(conversation, { now: true });
  }

  toggle(record: Pick<DocumentRecord, 'id' | 'name'>): void {
    if (this.isAttached(record.id)) this.detach(record.id);
    else this.attach([record]);
  }

  /** Files picked in the composer: added to the library (refusals shown there), then attached. */
  async addFiles(files: readonly File[]): Promise<void> {
    this.adding = true;
    try {
      this.attach(await this.library.addFiles(files));
    } finally {
      this.adding = false;
    }
  }
}
