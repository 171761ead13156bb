/**
 * The conversations on this device: the list for the sidebar, the one open, search, and
 * persistence. Writes are debounced (a streaming reply changes its conversation per token) and
 * flushed when the page is hidden or closed, so a reload keeps even a half-written reply.
 */
import { matchesQuery, newConversation, newestFirst, type Conversation } from '../lib/chat/conversation';
import { DEFAULT_GENERATION } from '../lib/chat/defaults';
import { exportToJson, exportToMarkdown, MAX_IMPORT_BYTES, parseImport, withFreshIds } from '../lib/chat/transfer';
import type { GenerationSettings } from '../lib/engine/types';
import { deleteConversation, loadConversations, saveConversation } from '../lib/storage/conversations';
import { DebouncedWriter } from '../lib/storage/debounced-writer';

const SAVE_DELAY_MS = 400;

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
  readonly #writer = new DebouncedWriter<Conversation>(saveConversation, SAVE_DELAY_MS, (error) => {
    this.error = `Could not save the conversation: ${error instanceof Error ? error.message : String(error)}`;
  });
  /** Live proxies by id, so a reply streaming into a conversation that is no longer open still saves. */
  // Not reactive on purpose: the proxies inside are, the index is bookkeeping.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  readonly #live = new Map<string, Conversation>();

  get total(): number {
    return this.#all.length;
  }

  /** Loads the stored conversations and opens the newest; returns a cleanup for the listeners. */
  async start(): Promise<() => void> {
    const flushWhenHidden = () => {
      if (document.visibilityState === 'hidden') void this.flush();
    };
    const flush = () => void this.flush();
    addEventListener('pagehide', flush);
    document.addEventListener('visibilitychange', flushWhenHidden);
    try {
      const loaded = await loadConversations();
      this.#all = loaded.conversations.sort(newestFirst);
      if (loaded.unreadable > 0) {
        this.error = `${loaded.unreadable} stored conversation(s) come from a newer version of Nook and are not shown.`;
      }
    } catch (error) {
      this.error = `Could not read saved conversations: ${error instanceof Error ? error.message : String(error)}`;
    }
    const newest = this.#all[0];
    if (newest) this.open(newest.id);
    else this.create();
    this.ready = true;
    return () => {
      removeEventListener('pagehide', flush);
      document.removeEventListener('visibilitychange', flushWhenHidden);
    };
  }

  flush(): Promise<void> {
    return this.#writer.flush();
  }

  open(id: string): void {
    if (this.active?.id === id) return;
    const saved = this.#all.find((conversation) => conversation.id === id);
    if (!saved) return;
    this.#leaveActive();
    this.active = this.#live.get(id) ?? structuredClone(saved);
    this.#live.set(id, this.active);
  }

  /** Opens a new, empty conversation (listed once it has a message); reuses an empty one. */
  create(): void {
    if (this.active && this.active.messages.length === 0) return;
    this.#leaveActive();
    const conversation = newConversation(crypto.randomUUID(), Date.now());
    this.active = conversation;
    this.#live.set(conversation.id, this.active);
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
    this.#writer.cancel(id);
    this.#live.delete(id);
    this.#all = this.#all.filter((conversation) => conversation.id !== id);
    if (this.active?.id === id) {
      this.active = undefined;
      const next = this.#all[0];
      if (next) this.open(next.id);
      else this.create();
    }
    await deleteConversation(id);
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
