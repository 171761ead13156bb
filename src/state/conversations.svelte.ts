/**
 * The conversations on this device: the list for the sidebar, the one open, search, and
 * persistence. Writes are debounced (a streaming reply changes its conversation per token) and
 * flushed when the page is hidden or closed, so a reload keeps even a half-written reply.
 * Several tabs may write the same conversation: every write merges with what another tab stored
 * (lib/storage/merge), and tabs tell each other what they saved over a BroadcastChannel, so each
 * shows the other's changes and none overwrites them.
 */
import {
  matchesQuery,
  newConversation,
  newestFirst,
  type Conversation,
  type StoredMessage,
} from '../lib/chat/conversation';
import { DEFAULT_GENERATION } from '../lib/chat/defaults';
import { exportToJson, exportToMarkdown, MAX_IMPORT_BYTES, parseImport, withFreshIds } from '../lib/chat/transfer';
import type { GenerationSettings } from '../lib/engine/types';
import {
  deleteConversation,
  loadConversation,
  loadConversations,
  saveConversation,
  saveConversationMerged,
} from '../lib/storage/conversations';
import { DebouncedWriter } from '../lib/storage/debounced-writer';
import { sameValue } from '../lib/storage/merge';

const SAVE_DELAY_MS = 400;
/** Which conversation this tab had open, so a reload (or an update) comes back to it. */
const OPEN_KEY = 'nook:open-conversation';

/** What one tab tells the others about conversations it stored. */
type SyncMessage = { kind: 'saved'; id: string } | { kind: 'deleted'; id: string };

function describeSaveError(error: unknown): string {
  const quota =
    (error instanceof DOMException && error.name === 'QuotaExceededError') ||
    (error instanceof Error && /quota/i.test(error.message));
  if (quota) {
    return 'Storage is full: this conversation could not be saved. It stays on screen, and it is saved with your next change once there is room (delete a model in Models to free space).';
  }
  return `Could not save the conversation: ${error instanceof Error ? error.message : String(error)}`;
}

export class ConversationStore {
  /** Saved snapshots, newest first; the open conversation's entry lags it by one save. */
  #all = $state.raw<Conversation[]>([]);
  /** The open conversation, deeply reactive: replies stream into it. */
  active = $state<Conversation | undefined>(undefined);
  query = $state('');
  ready = $state(false);
  error = $state<string | undefined>(undefined);
  /** The outcome of the last import, for a status line. */
  importNote = $state<{ ok: boolean; text: string } | undefined>(undefined);
  readonly list = $derived(this.#all.filter((conversation) => matchesQuery(conversation, this.query)));
  readonly #writer = new DebouncedWriter<Conversation>(
    (snapshot) => this.#save(snapshot),
    SAVE_DELAY_MS,
    (error) => (this.error = describeSaveError(error)),
  );
  /** Each conversation as this tab last read or wrote it: the base of merges with other tabs. */
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- bookkeeping, never shown
  readonly #base = new Map<string, Conversation>();
  /** Writes of this tab's own that failed (storage full): kept until one succeeds. */
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- bookkeeping, never shown
  readonly #unsaved = new Set<string>();
  #channel: BroadcastChannel | undefined;
  /** Live proxies by id, so a reply streaming into a conversation that is no longer open still saves. */
  // Not reactive on purpose: the proxies inside are, the index is bookkeeping.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  readonly #live = new Map<string, Conversation>();

  get total(): number {
    return this.#all.length;
  }

  /** Whether the conversation is stored (a new one is not until its first message). */
  isListed(id: string): boolean {
    return this.#all.some((conversation) => conversation.id === id);
  }

  /** Loads the stored conversations and opens the newest; returns a cleanup for the listeners. */
  async start(): Promise<() => void> {
    const flushWhenHidden = () => {
      if (document.visibilityState === 'hidden') void this.flush();
    };
    const flush = () => void this.flush();
    addEventListener('pagehide', flush);
    document.addEventListener('visibilitychange', flushWhenHidden);
    const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel('nook-conversations') : undefined;
    channel?.addEventListener('message', (event: MessageEvent<SyncMessage>) => void this.#onSync(event.data));
    this.#channel = channel;
    try {
      const loaded = await loadConversations();
      for (const conversation of loaded.conversations) this.#base.set(conversation.id, structuredClone(conversation));
      this.#all = loaded.conversations.sort(newestFirst);
      if (loaded.unreadable > 0) {
        this.error = `${loaded.unreadable} stored conversation(s) come from a newer version of Nook and are not shown.`;
      }
    } catch (error) {
      this.error = `Could not read saved conversations: ${error instanceof Error ? error.message : String(error)}`;
    }
    const reopen = sessionStorage.getItem(OPEN_KEY);
    const newest = this.#all[0];
    if (reopen && this.#all.some((c) => c.id === reopen)) this.open(reopen);
    // The tab was on a new conversation (maybe with a draft): a new one again.
    else if (reopen) this.create();
    else if (newest) this.open(newest.id);
    else this.create();
    this.ready = true;
    return () => {
      removeEventListener('pagehide', flush);
      document.removeEventListener('visibilitychange', flushWhenHidden);
      channel?.close();
    };
  }

  flush(): Promise<void> {
    // Writes that failed (storage full) are tried again with everything else.
    for (const id of this.#unsaved) {
      const conversation = this.#live.get(id);
      if (conversation && !this.#writer.has(id)) this.#writer.schedule(id, () => this.#commit(conversation));
    }
    return this.#writer.flush();
  }

  open(id: string): void {
    if (this.active?.id === id) return;
    const saved = this.#all.find((conversation) => conversation.id === id);
    if (!saved) return;
    this.#leaveActive();
    this.active = this.#live.get(id) ?? structuredClone(saved);
    this.#live.set(id, this.active);
    sessionStorage.setItem(OPEN_KEY, id);
  }

  /** Opens a new, empty conversation (listed once it has a message); reuses an empty one. */
  create(): void {
    if (this.active && this.active.messages.length === 0) return;
    this.#leaveActive();
    const conversation = newConversation(crypto.randomUUID(), Date.now());
    this.active = conversation;
    this.#live.set(conversation.id, this.active);
    sessionStorage.setItem(OPEN_KEY, conversation.id);
  }

  /**
   * Records a change to a conversation. Streamed tokens are saved debounced; a user's own change
   * (`now`: a message sent, a rename, a setting) is listed and written at once, because a write
   * started while the page unloads may never land.
   */
  touch(conversation: Conversation, { now = false } = {}): void {
    if (conversation.messages.length === 0 && !this.#all.some((c) => c.id === conversation.id)) return;
    this.#writer.schedule(conversation.id, () => this.#commit(conversation));
    if (now) void this.flush();
  }

  rename(id: string, title: string): void {
    const conversation = this.#conversation(id);
    if (!conversation) return;
    conversation.title = title.trim();
    this.touch(conversation, { now: true });
  }

  async remove(id: string): Promise<void> {
    this.#forget(id);
    await deleteConversation(id);
    this.#post({ kind: 'deleted', id });
  }

  /**
   * The browser deleted the stored data while the app ran. The list shows what is stored now
   * (nothing); the conversation on screen is kept and saved again, so the user loses nothing
   * they are looking at and can go on.
   */
  storageCleared(): void {
    this.#base.clear();
    const active = this.active;
    const keep = active && active.messages.length > 0 ? [$state.snapshot(active) as Conversation] : [];
    for (const id of [...this.#live.keys()]) if (id !== active?.id) this.#live.delete(id);
    this.#all = keep;
    if (active) this.touch(active, { now: true });
  }

  setSystemPrompt(conversation: Conversation, prompt: string): void {
    conversation.systemPrompt = prompt;
    this.touch(conversation, { now: true });
  }

  setSetting(conversation: Conversation, key: keyof GenerationSettings, value: number): void {
    conversation.settings[key] = value;
    this.touch(conversation, { now: true });
  }

  resetSettings(conversation: Conversation): void {
    conversation.settings = { ...DEFAULT_GENERATION };
    this.touch(conversation, { now: true });
  }

  /** Imports an export file; one too large to be an export is refused before it is read. */
  async importFile(file: Blob): Promise<void> {
    if (file.size > MAX_IMPORT_BYTES) {
      this.importNote = {
        ok: false,
        text: 'Import refused: The file is too large to be a Nook export. Nothing was changed.',
      };
      return;
    }
    let text: string;
    try {
      text = await file.text();
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.importNote = {
        ok: false,
        text: `Import refused: the file could not be read (${reason}). Nothing was changed.`,
      };
      return;
    }
    await this.importText(text);
  }

  /** Adds the conversations of an export file, never replacing one; all or nothing. */
  async importText(text: string): Promise<void> {
    this.importNote = undefined;
    const parsed = parseImport(text);
    if (!parsed.ok) {
      this.importNote = { ok: false, text: `Import refused: ${parsed.reason} Nothing was changed.` };
      return;
    }
    await this.flush();
    // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a local lookup, not state
    const existing = new Set([...this.#all.map((c) => c.id), ...this.#live.keys()]);
    const fresh = withFreshIds(parsed.value, existing, () => crypto.randomUUID());
    try {
      for (const conversation of fresh) await saveConversation(conversation);
      for (const conversation of fresh) {
        this.#base.set(conversation.id, structuredClone(conversation));
        this.#post({ kind: 'saved', id: conversation.id });
      }
    } catch (error) {
      // Undo the part that was written, so a failed import changes nothing.
      await Promise.allSettled(fresh.map((conversation) => deleteConversation(conversation.id)));
      this.importNote = { ok: false, text: `Import failed: ${error instanceof Error ? error.message : String(error)}` };
      return;
    }
    this.#all = [...this.#all, ...fresh].sort(newestFirst);
    const count = fresh.length;
    this.importNote = { ok: true, text: `Imported ${count} conversation${count === 1 ? '' : 's'}.` };
  }

  /** The saved record of a conversation, once pending saves have landed. */
  async read(id: string): Promise<Conversation | undefined> {
    await this.flush();
    return this.#all.find((conversation) => conversation.id === id);
  }

  /** Export text of one conversation (by id) or of all. */
  async exportText(format: 'json' | 'markdown', id?: string): Promise<string> {
    await this.flush();
    const conversations = id ? this.#all.filter((c) => c.id === id) : this.#all;
    // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a timestamp, not state
    return format === 'json' ? exportToJson(conversations, new Date()) : exportToMarkdown(conversations);
  }

  #conversation(id: string): Conversation | undefined {
    if (this.#live.has(id)) return this.#live.get(id);
    const saved = this.#all.find((conversation) => conversation.id === id);
    if (!saved) return undefined;
    const live = $state(structuredClone(saved));
    this.#live.set(id, live);
    return live;
  }

  /** Drops a conversation from this tab (deleted here or in another tab). */
  #forget(id: string): void {
    this.#writer.cancel(id);
    this.#live.delete(id);
    this.#base.delete(id);
    this.#all = this.#all.filter((conversation) => conversation.id !== id);
    if (this.active?.id === id) {
      this.active = undefined;
      const next = this.#all[0];
      if (next) this.open(next.id);
      else this.create();
    }
  }

  /** The writer's write: merged with other tabs' changes, which then show here too. */
  async #save(snapshot: Conversation): Promise<void> {
    let stored: Conversation;
    try {
      stored = await saveConversationMerged(snapshot, this.#base.get(snapshot.id));
    } catch (error) {
      // Kept for the next write (a token, a message, the page hiding); no retry loop of its own.
      this.#unsaved.add(snapshot.id);
      throw error;
    }
    this.#base.set(snapshot.id, stored);
    if (this.#unsaved.delete(snapshot.id) && this.#unsaved.size === 0) this.error = undefined;
    if (stored !== snapshot) this.#adopt(stored, snapshot);
    this.#post({ kind: 'saved', id: snapshot.id });
  }

  async #onSync(message: SyncMessage): Promise<void> {
    if (message.kind === 'deleted') {
      // Deleted there while this tab is still writing into it: this tab's next write keeps it.
      if (!this.#writer.has(message.id)) this.#forget(message.id);
      return;
    }
    // This tab has changes of its own waiting: its next write merges with the other tab's.
    if (this.#writer.has(message.id)) return;
    const stored = await loadConversation(message.id).catch(() => undefined);
    if (!stored || this.#writer.has(message.id)) return;
    this.#base.set(stored.id, structuredClone(stored));
    const live = this.#live.get(stored.id);
    if (live) this.#adopt(stored, $state.snapshot(live) as Conversation);
    else this.#all = [stored, ...this.#all.filter((c) => c.id !== stored.id)].sort(newestFirst);
  }

  /**
   * Brings another tab's changes into this tab's copy. `from` is the version they were merged
   * with; messages this tab added since then stay, and message objects a reply is streaming into
   * are kept as they are (reassigning them would cut the stream off).
   */
  #adopt(stored: Conversation, from: Conversation): void {
    const live = this.#live.get(stored.id);
    if (live) {
      if (live.title !== stored.title) live.title = stored.title;
      if (live.systemPrompt !== stored.systemPrompt) live.systemPrompt = stored.systemPrompt;
      if (JSON.stringify(live.settings) !== JSON.stringify(stored.settings)) live.settings = { ...stored.settings };
      if (live.modelId !== stored.modelId) live.modelId = stored.modelId;
      // Not reactive on purpose: local lookups.
      /* eslint-disable svelte/prefer-svelte-reactivity */
      const fromById = new Map(from.messages.map((m) => [m.id, m]));
      const liveById = new Map(live.messages.map((m) => [m.id, m]));
      const inStored = new Set(stored.messages.map((m) => m.id));
      /* eslint-enable svelte/prefer-svelte-reactivity */
      for (const message of stored.messages) {
        const mine = liveById.get(message.id);
        const before = fromById.get(message.id);
        // Changed there, and not here since: take theirs (a reply another tab is streaming).
        if (mine && before !== undefined && sameValue($state.snapshot(mine), before)) {
          assignMessage(mine, message);
        }
      }
      const ids = (list: readonly StoredMessage[]) => list.map((m) => m.id).join();
      if (ids(stored.messages) !== ids(from.messages)) {
        const addedHereSince = live.messages.filter((m) => !fromById.has(m.id) && !inStored.has(m.id));
        live.messages = [...stored.messages.map((m) => liveById.get(m.id) ?? structuredClone(m)), ...addedHereSince];
      }
    }
    const shown = live ? ($state.snapshot(live) as Conversation) : stored;
    this.#all = [shown, ...this.#all.filter((c) => c.id !== stored.id)].sort(newestFirst);
  }

  #post(message: SyncMessage): void {
    this.#channel?.postMessage(message);
  }

  /** Snapshot of a live conversation into the list; returns it for the writer. */
  #commit(conversation: Conversation): Conversation {
    const snapshot = $state.snapshot(conversation) as Conversation;
    const others = this.#all.filter((c) => c.id !== snapshot.id);
    this.#all = [snapshot, ...others].sort(newestFirst);
    return snapshot;
  }

  /** Saves the conversation being left now (a reply may still stream into it; its proxy stays live). */
  #leaveActive(): void {
    if (this.active) void this.flush();
  }
}

/** Makes a live (proxied) message equal to `next`, keeping the object a stream may write into. */
function assignMessage(message: StoredMessage, next: StoredMessage): void {
  const target = message as unknown as Record<string, unknown>;
  const source = next as unknown as Record<string, unknown>;
  for (const key of Object.keys(target)) if (!(key in source)) delete target[key];
  for (const [key, value] of Object.entries(source)) {
    if (!sameValue(target[key], value)) target[key] = structuredClone(value);
  }
}
