/**
 * The assistants: the ones Nook ships and the user's own (IndexedDB), and the intents on them —
 * start the open conversation with one, save a conversation's set-up as one, make, edit and delete
 * one, export and import them. A job store: created after start-up (state/jobs), with its code.
 */
import {
  applyAssistant,
  ASSISTANT_RECORD_VERSION,
  BUILT_IN,
  checkName,
  exportAssistants,
  fromConversation,
  parseAssistants,
  type Assistant,
} from '../../lib/assistants/assistant';
import { assistantRecords } from '../../lib/assistants/store';
import type { Conversation } from '../../lib/chat/conversation';
import type { ConversationsState } from '../chat/conversations.svelte';

type Outcome = { ok: true; assistant: Assistant } | { ok: false; reason: string };

/** What the user edits of an assistant. */
export type AssistantDraft = Pick<Assistant, 'name' | 'description' | 'systemPrompt' | 'settings'> & {
  toolsOff?: boolean;
};

export class AssistantsState {
  #mine = $state.raw<Assistant[]>([]);
  #error = $state<string | undefined>(undefined);
  readonly #records: ReturnType<typeof assistantRecords>;
  readonly #conversations: ConversationsState;

  constructor(conversations: ConversationsState, records = assistantRecords()) {
    this.#conversations = conversations;
    this.#records = records;
  }

  /** Nook's own first, then the user's, newest first. */
  get list(): readonly Assistant[] {
    return [...BUILT_IN, ...this.#mine];
  }
  get mine(): readonly Assistant[] {
    return this.#mine;
  }
  get error(): string | undefined {
    return this.#error;
  }

  async start(): Promise<void> {
    try {
      this.#mine = await this.#records.list();
    } catch (error) {
      this.#error = `Your assistants could not be read: ${describe(error)}`;
    }
  }

  /** Sets up the open conversation (one with no message yet) the assistant's way. */
  use(id: string): boolean {
    const conversation = this.#conversations.active;
    const assistant = this.list.find((candidate) => candidate.id === id);
    if (!conversation || !assistant || conversation.messages.length > 0) return false;
    applyAssistant(conversation, assistant);
    this.#conversations.touch(conversation, { now: true });
    return true;
  }

  /** Keeps how `conversation` is set up now as a new assistant named `name`. */
  async saveFrom(conversation: Conversation, name: string): Promise<Outcome> {
    const checked = checkName(name);
    if (!checked.ok) return checked;
    const assistant = fromConversation(conversation, checked.name, crypto.randomUUID(), Date.now());
    return this.#store(assistant);
  }

  /** A new assistant from scratch, or changes to one of the user's. */
  async save(draft: AssistantDraft, id?: string): Promise<Outcome> {
    const checked = checkName(draft.name);
    if (!checked.ok) return checked;
    const before = id ? this.#mine.find((assistant) => assistant.id === id) : undefined;
    if (id && !before) return { ok: false, reason: 'That assistant is gone.' };
    const now = Date.now();
    // What the form does not edit (the model, the documents) stays as it was.
    const { modelId, server, attachments } = before ?? {};
    return this.#store({
      schemaVersion: ASSISTANT_RECORD_VERSION,
      id: before?.id ?? crypto.randomUUID(),
      name: checked.name,
      description: draft.description.trim(),
      systemPrompt: draft.systemPrompt,
      settings: { ...draft.settings },
      createdAt: before?.createdAt ?? now,
      updatedAt: now,
      ...(modelId ? { modelId } : {}),
      ...(server ? { server } : {}),
      ...(attachments ? { attachments } : {}),
      ...(draft.toolsOff ? { toolsOff: true as const } : {}),
    });
  }

  async remove(id: string): Promise<void> {
    try {
      await this.#records.remove(id);
      this.#mine = this.#mine.filter((assistant) => assistant.id !== id);
      this.#error = undefined;
    } catch (error) {
      this.#error = `The assistant could not be deleted: ${describe(error)}`;
    }
  }

  /** The user's assistants as a file's text. */
  exported(now = Date.now()): string {
    return exportAssistants(this.#mine, now);
  }

  /**
   * Adds the assistants of a file, all or none; one whose id is taken gets a fresh one, so an
   * import never replaces anything. The count, or the reason it was refused.
   */
  async import(text: string): Promise<{ ok: true; count: number } | { ok: false; reason: string }> {
    const parsed = parseAssistants(text);
    if (!parsed.ok) return parsed;
    const taken = this.list.map((assistant) => assistant.id);
    const fresh = parsed.value.map((assistant) =>
      taken.includes(assistant.id) ? { ...assistant, id: crypto.randomUUID() } : assistant,
    );
    try {
      for (const assistant of fresh) await this.#records.save(assistant);
    } catch (error) {
      return { ok: false, reason: `The assistants could not be stored: ${describe(error)}` };
    }
    this.#mine = [...fresh, ...this.#mine];
    return { ok: true, count: fresh.length };
  }

  async #store(assistant: Assistant): Promise<Outcome> {
    try {
      await this.#records.save(assistant);
    } catch (error) {
      return { ok: false, reason: `The assistant could not be stored: ${describe(error)}` };
    }
    this.#mine = [assistant, ...this.#mine.filter((other) => other.id !== assistant.id)];
    this.#error = undefined;
    return { ok: true, assistant };
  }
}

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));
