/**
 * Persistence of conversations with cross-tab sync, as plain TypeScript (the runes store in
 * state/conversations only holds the live copies). Writes are debounced (a streaming reply
 * changes its conversation per token) and flushed when asked (page hidden or closed, a user's own
 * change). Every write merges with what another tab stored since this tab last read or wrote the
 * record (merge.ts, in one IndexedDB transaction), and tabs tell each other what they stored over
 * a BroadcastChannel, so each shows the other's changes and none overwrites them.
 */
import type { Conversation } from './conversation';
import { DebouncedWriter } from '../storage/debounced-writer';
import * as idb from './store';

/** What one tab tells the others about conversations it stored. */
export type SyncMessage = { kind: 'saved'; id: string } | { kind: 'deleted'; id: string };

export const SYNC_CHANNEL = 'nook-conversations';

/** The live side: where the newest copy is read from and where others' changes go. */
export interface SyncHost {
  /** The conversation as this tab has it now (a plain snapshot), or undefined if it has none. */
  snapshot(id: string): Conversation | undefined;
  /** Storage holds `stored`, merged from `from` (this tab's copy then): show what changed. */
  adopt(stored: Conversation, from: Conversation): void;
  /** Another tab stored a conversation this tab does not have. */
  added(stored: Conversation): void;
  /** Another tab deleted one this tab has no changes of its own waiting for. */
  deleted(id: string): void;
  /** A write failed (undefined: every failed write has since landed). */
  failed(error: unknown | undefined): void;
}

/** Storage as the sync uses it; the IndexedDB functions of store.ts unless a test gives others. */
export type SyncStorage = Pick<
  typeof idb,
  | 'loadConversations'
  | 'loadConversation'
  | 'saveConversationMerged'
  | 'saveConversationNow'
  | 'saveConversation'
  | 'deleteConversation'
>;

/**
 * How often a streaming reply is written, in ms. Each write stores the whole conversation (and
 * merges it with other tabs' copy in one transaction), so it takes CPU from the engine; what a
 * closing page has not written yet goes out in `flushOnHide`, so this only bounds what a crash
 * (no `pagehide`) loses. See docs/decisions/0006-streaming-save-interval.md.
 */
export const STREAM_SAVE_MS = 400;

export interface SyncOptions {
  delayMs?: number;
  storage?: SyncStorage;
  /** The channel tabs talk over; none where BroadcastChannel is missing. */
  channel?: BroadcastChannel | undefined;
}

export class ConversationSync {
  readonly #host: SyncHost;
  readonly #storage: SyncStorage;
  readonly #channel: BroadcastChannel | undefined;
  readonly #writer: DebouncedWriter<Conversation>;
  /** Each conversation as this tab last read or wrote it: the base of merges with other tabs. */
  readonly #base = new Map<string, Conversation>();
  /** Writes of this tab's own that failed (storage full): kept until one succeeds. */
  readonly #unsaved = new Set<string>();
  /**
   * Conversations another tab stored that this tab has not read or merged since (its base may be
   * stale), each with the number of the message that said so.
   */
  readonly #heard = new Map<string, number>();
  #heardCount = 0;
  /** Conversations with a write of this tab's under way. */
  readonly #writing = new Map<string, number>();
  readonly #onMessage = (event: MessageEvent<SyncMessage>) => void this.#onSync(event.data);

  constructor(host: SyncHost, options: SyncOptions = {}) {
    this.#host = host;
    this.#storage = options.storage ?? idb;
    this.#channel =
      'channel' in options
        ? options.channel
        : typeof BroadcastChannel === 'function'
          ? new BroadcastChannel(SYNC_CHANNEL)
          : undefined;
    this.#channel?.addEventListener('message', this.#onMessage);
    this.#writer = new DebouncedWriter<Conversation>(
      (snapshot) => this.#save(snapshot),
      options.delayMs ?? STREAM_SAVE_MS,
      (error) => host.failed(error),
    );
  }

  /** Reads every stored conversation; each becomes the base of later merges. */
  async load(): Promise<idb.LoadedConversations> {
    const loaded = await this.#storage.loadConversations();
    for (const conversation of loaded.conversations) this.#base.set(conversation.id, structuredClone(conversation));
    return loaded;
  }

  /** A write of `id` is due (read from the host when it runs, so the newest copy is written). */
  schedule(id: string): void {
    this.#writer.schedule(id, () => this.#host.snapshot(id) ?? missing(id));
  }

  /** A write of `id` is waiting. */
  pending(id: string): boolean {
    return this.#writer.has(id);
  }

  flush(): Promise<void> {
    // Writes that failed (storage full) are tried again with everything else.
    for (const id of this.#unsaved) if (!this.#writer.has(id) && this.#host.snapshot(id)) this.schedule(id);
    return this.#writer.flush();
  }

  /**
   * The flush of a page being hidden or closed. A merged write must read before it writes, and a
   * closing page may be gone before that read returns; so a conversation whose stored copy is the
   * one this tab last read or wrote (no other tab has stored it since, no write of ours is under
   * way) is written as it is, committed at once. Others are merged as usual.
   */
  flushOnHide(): Promise<void> {
    return this.#writer.flush((snapshot) =>
      this.#heard.has(snapshot.id) || this.#writing.has(snapshot.id)
        ? this.#save(snapshot)
        : this.#write(snapshot, async () => {
            await this.#storage.saveConversationNow(snapshot);
            return snapshot;
          }),
    );
  }

  /** Forgets a conversation here (deleted here or in another tab); nothing is written. */
  forget(id: string): void {
    this.#writer.cancel(id);
    this.#base.delete(id);
    this.#unsaved.delete(id);
    this.#heard.delete(id);
  }

  async remove(id: string): Promise<void> {
    this.forget(id);
    await this.#storage.deleteConversation(id);
    this.#post({ kind: 'deleted', id });
  }

  /** Stores new conversations (an import): all or nothing. */
  async addAll(conversations: readonly Conversation[]): Promise<void> {
    try {
      for (const conversation of conversations) await this.#storage.saveConversation(conversation);
    } catch (error) {
      // Undo the part that was written, so a failed import changes nothing.
      await Promise.allSettled(conversations.map((c) => this.#storage.deleteConversation(c.id)));
      throw error;
    }
    for (const conversation of conversations) {
      this.#base.set(conversation.id, structuredClone(conversation));
      this.#post({ kind: 'saved', id: conversation.id });
    }
  }

  /** The browser deleted the stored data: nothing is a merge base any more. */
  storageCleared(): void {
    this.#base.clear();
  }

  close(): void {
    this.#channel?.removeEventListener('message', this.#onMessage);
    this.#channel?.close();
  }

  /** The writer's write: merged with other tabs' changes, which then show here too. */
  #save(snapshot: Conversation): Promise<void> {
    return this.#write(snapshot, () => this.#storage.saveConversationMerged(snapshot, this.#base.get(snapshot.id)));
  }

  /** Runs one write of `snapshot`; `store` resolves with the record as stored. */
  async #write(snapshot: Conversation, store: () => Promise<Conversation>): Promise<void> {
    const { id } = snapshot;
    const heard = this.#heard.get(id);
    this.#writing.set(id, (this.#writing.get(id) ?? 0) + 1);
    let stored: Conversation;
    try {
      stored = await store();
    } catch (error) {
      // Kept for the next write (a token, a message, the page hiding); no retry loop of its own.
      this.#unsaved.add(id);
      throw error;
    } finally {
      const left = (this.#writing.get(id) ?? 1) - 1;
      if (left > 0) this.#writing.set(id, left);
      else this.#writing.delete(id);
    }
    this.#setBase(stored, heard);
    if (this.#unsaved.delete(id) && this.#unsaved.size === 0) this.#host.failed(undefined);
    if (stored !== snapshot) this.#host.adopt(stored, snapshot);
    this.#post({ kind: 'saved', id });
  }

  /**
   * `stored` is what storage holds, read or written when `heard` was the last other tab's store
   * heard of: the base is current unless another tab has stored it since.
   */
  #setBase(stored: Conversation, heard: number | undefined): void {
    this.#base.set(stored.id, stored);
    if (this.#heard.get(stored.id) === heard) this.#heard.delete(stored.id);
  }

  async #onSync(message: SyncMessage): Promise<void> {
    if (message.kind === 'deleted') {
      // Deleted there while this tab is still writing into it: this tab's next write keeps it.
      if (this.#writer.has(message.id)) return;
      this.forget(message.id);
      this.#host.deleted(message.id);
      return;
    }
    const heard = ++this.#heardCount;
    this.#heard.set(message.id, heard);
    // This tab has changes of its own waiting: its next write merges with the other tab's.
    if (this.#writer.has(message.id)) return;
    const stored = await this.#storage.loadConversation(message.id).catch(() => undefined);
    if (!stored || this.#writer.has(message.id)) return;
    this.#setBase(structuredClone(stored), heard);
    const mine = this.#host.snapshot(stored.id);
    if (mine) this.#host.adopt(stored, mine);
    else this.#host.added(stored);
  }

  #post(message: SyncMessage): void {
    this.#channel?.postMessage(message);
  }
}

/** What the chat view says when a write failed. */
export function describeSaveError(error: unknown): string {
  const quota =
    (error instanceof DOMException && error.name === 'QuotaExceededError') ||
    (error instanceof Error && /quota/i.test(error.message));
  if (quota) {
    return 'Storage is full: this conversation could not be saved. It stays on screen, and it is saved with your next change once there is room (delete a model in Models to free space).';
  }
  return `Could not save the conversation: ${error instanceof Error ? error.message : String(error)}`;
}

function missing(id: string): never {
  throw new Error(`Conversation ${id} is no longer on this tab.`);
}
