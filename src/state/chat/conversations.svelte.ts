/**
 * The conversations of this tab: one live (deeply reactive) copy of each, the sidebar list derived
 * from them, the open one, and search. Replies stream into the live copy; saving it, merging with
 * other tabs and hearing their changes is lib/chat/sync (plain TypeScript), and export/import is
 * `transfer` (ConversationTransferState). Saves are debounced and flushed when the page is hidden or
 * closed, so a reload keeps even a half-written reply.
 */
import { SvelteMap, SvelteSet } from 'svelte/reactivity';
import { adoptStored } from '../../lib/chat/adopt';
import { matchesQuery, newConversation, newestFirst, type Conversation } from '../../lib/chat/conversation';
import { DEFAULT_GENERATION } from '../../lib/chat/defaults';
import { conversationToOpen, OPEN_KEY } from '../../lib/chat/reopen';
import { ConversationSync, describeSaveError, type SyncHost } from '../../lib/chat/sync';
import type { NumericSetting } from '../../lib/chat/settings';
import { flushWhenPageHides } from '../../lib/storage/debounced-writer';
import { ConversationTransferState } from './conversation-transfer.svelte';

export class ConversationsState {
  /** Every conversation of this tab by id: the one copy, deeply reactive (replies stream into it). */
  readonly #live = new SvelteMap<string, Conversation>();
  /** Those that are stored (a new one is not until its first message). */
  readonly #listed = new SvelteSet<string>();
  #activeId = $state<string | undefined>(undefined);
  #query = $state('');
  #ready = $state(false);
  #error = $state<string | undefined>(undefined);
  #sync: ConversationSync | undefined;

  /** Stored conversations, newest first. Sorting reads only `updatedAt`: tokens do not re-sort it. */
  readonly #stored = $derived([...this.#live.values()].filter((c) => this.#listed.has(c.id)).sort(newestFirst));
  /** What the sidebar lists: the stored conversations that match the search. */
  readonly list = $derived(this.#stored.filter((conversation) => matchesQuery(conversation, this.#query)));
  /** The open conversation. */
  readonly active = $derived(this.#activeId === undefined ? undefined : this.#live.get(this.#activeId));

  get query(): string {
    return this.#query;
  }
  /** The search box's text (bound to it). */
  set query(text: string) {
    this.#query = text;
  }
  get ready(): boolean {
    return this.#ready;
  }
  get error(): string | undefined {
    return this.#error;
  }
  get total(): number {
    return this.#listed.size;
  }

  /** Whether the conversation is stored (a new one is not until its first message). */
  isListed(id: string): boolean {
    return this.#listed.has(id);
  }

  /** Loads the stored conversations and opens the newest; returns a cleanup for the listeners. */
  async start(): Promise<() => void> {
    const stopListening = flushWhenPageHides(() => void this.#sync?.flushOnHide());
    const sync = new ConversationSync(this.#host);
    this.#sync = sync;
    try {
      const loaded = await sync.load();
      for (const conversation of loaded.conversations) this.#add(conversation);
      if (loaded.unreadable > 0) {
        this.#error = `${loaded.unreadable} stored conversation(s) come from a newer version of Nook and are not shown.`;
      }
    } catch (error) {
      this.#error = `Could not read saved conversations: ${error instanceof Error ? error.message : String(error)}`;
    }
    const id = conversationToOpen(sessionStorage.getItem(OPEN_KEY), (id) => this.#listed.has(id), this.#stored[0]?.id);
    if (id) this.open(id);
    else this.create();
    this.#ready = true;
    return () => {
      stopListening();
      sync.close();
    };
  }

  flush(): Promise<void> {
    return this.#sync?.flush() ?? Promise.resolve();
  }

  open(id: string): void {
    if (this.#activeId === id || !this.#listed.has(id)) return;
    this.#leaveActive();
    this.#activeId = id;
    sessionStorage.setItem(OPEN_KEY, id);
  }

  /** Opens a new, empty conversation (listed once it has a message); reuses an empty one. */
  create(): void {
    if (this.active && this.active.messages.length === 0) return;
    this.#leaveActive();
    const conversation = this.#add(newConversation(crypto.randomUUID(), Date.now()), { listed: false });
    this.#activeId = conversation.id;
    sessionStorage.setItem(OPEN_KEY, conversation.id);
  }

  /**
   * Records a change to a conversation. Streamed tokens are saved debounced; a user's own change
   * (`now`: a message sent, a rename, a setting) is listed and written at once, because a write
   * started while the page unloads may never land.
   */
  touch(conversation: Conversation, { now = false } = {}): void {
    const { id } = conversation;
    if (conversation.messages.length === 0 && !this.#listed.has(id)) return;
    // Deleted (here or in another tab) while a reply still streamed into it: the reply keeps it.
    if (!this.#live.has(id)) this.#live.set(id, conversation);
    this.#listed.add(id);
    this.#sync?.schedule(id);
    if (now) void this.flush();
  }

  rename(id: string, title: string): void {
    const conversation = this.#live.get(id);
    if (!conversation) return;
    conversation.title = title.trim();
    this.touch(conversation, { now: true });
  }

  async remove(id: string): Promise<void> {
    this.#forget(id);
    await this.#sync?.remove(id);
  }

  /**
   * The browser deleted the stored data while the app ran. The list shows what is stored now
   * (nothing); the conversation on screen is kept and saved again, so the user loses nothing
   * they are looking at and can go on.
   */
  storageCleared(): void {
    this.#sync?.storageCleared();
    const active = this.active;
    for (const id of [...this.#live.keys()]) if (id !== active?.id) this.#live.delete(id);
    this.#listed.clear();
    if (active) this.touch(active, { now: true });
  }

  setSystemPrompt(conversation: Conversation, prompt: string): void {
    conversation.systemPrompt = prompt;
    this.touch(conversation, { now: true });
  }

  setSetting(conversation: Conversation, key: NumericSetting, value: number): void {
    conversation.settings[key] = value;
    this.touch(conversation, { now: true });
  }

  /** The Think switch: false asks a model that can turn thinking off not to think. */
  setThink(conversation: Conversation, think: boolean): void {
    if (think) delete conversation.settings.think;
    else conversation.settings.think = false;
    this.touch(conversation, { now: true });
  }

  /** Tools on (the default, for models that can call them) or off for this conversation. */
  setTools(conversation: Conversation, on: boolean): void {
    if (on) delete conversation.toolsOff;
    else conversation.toolsOff = true;
    this.touch(conversation, { now: true });
  }

  /** No budget (undefined): the model thinks as long as it needs within the reply's tokens. */
  setThinkingBudget(conversation: Conversation, tokens: number | undefined): void {
    if (tokens === undefined) delete conversation.settings.thinkingBudget;
    else conversation.settings.thinkingBudget = tokens;
    this.touch(conversation, { now: true });
  }

  resetSettings(conversation: Conversation): void {
    conversation.settings = { ...DEFAULT_GENERATION };
    this.touch(conversation, { now: true });
  }

  /** The saved record of a conversation, once pending saves have landed. */
  async read(id: string): Promise<Conversation | undefined> {
    await this.flush();
    const live = this.#listed.has(id) ? this.#live.get(id) : undefined;
    return live && ($state.snapshot(live) as Conversation);
  }

  /** Export to a file, and import from one. */
  readonly transfer = new ConversationTransferState({
    flush: () => this.flush(),
    stored: () => this.#stored.map((c) => $state.snapshot(c) as Conversation),
    // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a lookup, not state
    ids: () => new Set(this.#live.keys()),
    addAll: async (fresh) => {
      await this.#sync?.addAll(fresh);
      for (const conversation of fresh) this.#add(conversation);
    },
  });

  /** What lib/chat/sync reads from and tells this store. */
  readonly #host: SyncHost = {
    snapshot: (id) => {
      const live = this.#live.get(id);
      return live && ($state.snapshot(live) as Conversation);
    },
    adopt: (stored, from) => {
      const live = this.#live.get(stored.id);
      if (live) adoptStored(live, stored, from);
    },
    added: (stored) => void this.#add(stored),
    deleted: (id) => this.#forget(id),
    failed: (error) => (this.#error = error === undefined ? undefined : describeSaveError(error)),
  };

  /** Makes the one live copy of a conversation. */
  #add(conversation: Conversation, { listed = true } = {}): Conversation {
    const live = $state(structuredClone(conversation));
    this.#live.set(live.id, live);
    if (listed) this.#listed.add(live.id);
    return live;
  }

  /** Drops a conversation from this tab (deleted here or in another tab). */
  #forget(id: string): void {
    this.#sync?.forget(id);
    this.#live.delete(id);
    this.#listed.delete(id);
    if (this.#activeId !== id) return;
    this.#activeId = undefined;
    const next = this.#stored[0];
    if (next) this.open(next.id);
    else this.create();
  }

  /** Saves the conversation being left now (a reply may still stream into it; its copy stays live). */
  #leaveActive(): void {
    if (this.active) void this.flush();
  }
}
