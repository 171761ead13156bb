/**
 * The documents attached to the open conversation: attach from the library, add a file that
 * joins the library and is attached, remove. The library is the Documents view's (created after
 * the first paint): `library` is undefined until it exists.
 */
import type { AttachedDocument } from '../lib/chat/conversation';
import type { DocumentRecord } from '../lib/documents/library-db';
import type { ConversationStore } from './conversations.svelte';
import type { JobsHandle } from './jobs-context.svelte';
import type { LibraryState } from './library.svelte';

export class ChatAttachments {
  /** Files being added from the composer (they join the library, then the conversation). */
  adding = $state(false);
  readonly #conversations: ConversationStore;
  readonly #jobs: JobsHandle;

  constructor(conversations: ConversationStore, jobs: JobsHandle) {
    this.#conversations = conversations;
    this.#jobs = jobs;
  }

  get attached(): readonly AttachedDocument[] {
    return this.#conversations.active?.attachments ?? [];
  }

  /** The library to pick from, once the Documents store exists. */
  get library(): LibraryState | undefined {
    return this.#jobs.stores?.documents.library;
  }

  /** Whether an attached document is still in the library (undefined while the library loads). */
  present(documentId: string): boolean | undefined {
    const library = this.library;
    return library?.ready ? library.record(documentId) !== undefined : undefined;
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
      const { documents } = await this.#jobs.ready;
      this.attach(await documents.library.addFiles(files));
    } finally {
      this.adding = false;
    }
  }
}
