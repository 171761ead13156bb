/**
 * Export and import of conversations: the file's text of one or all, and adding an export file's
 * conversations (all or nothing, never replacing one), with the outcome for a status line. The
 * formats and checks are lib/chat/transfer; the conversations themselves stay ConversationsState's.
 */
import type { Conversation } from '../../lib/chat/conversation';

/** The formats' code loads with the first export or import, not with the chat. */
const transfer = () => import('../../lib/chat/transfer');

/** What the transfer needs of ConversationsState. */
export interface TransferHost {
  /** Lets pending saves land. */
  flush(): Promise<void>;
  /** The stored conversations as saved (snapshots), newest first. */
  stored(): Conversation[];
  /** Every id in use in this tab (an imported one never takes one). */
  ids(): ReadonlySet<string>;
  /** Stores and lists these new conversations together, or throws and lists none. */
  addAll(conversations: Conversation[]): Promise<void>;
}

export class ConversationTransferState {
  readonly #host: TransferHost;
  #note = $state<{ ok: boolean; text: string } | undefined>(undefined);

  constructor(host: TransferHost) {
    this.#host = host;
  }

  /** The outcome of the last import, for a status line. */
  get note(): { ok: boolean; text: string } | undefined {
    return this.#note;
  }

  /** Adds the conversations of an export file, never replacing one; all or nothing. */
  async importFile(file: Blob): Promise<void> {
    this.#note = undefined;
    const { importedNote, readImportFile, withFreshIds } = await transfer();
    const parsed = await readImportFile(file);
    if (!parsed.ok) {
      this.#note = { ok: false, text: `Import refused: ${parsed.reason} Nothing was changed.` };
      return;
    }
    await this.#host.flush();
    const fresh = withFreshIds(parsed.value, this.#host.ids(), () => crypto.randomUUID());
    try {
      await this.#host.addAll(fresh);
    } catch (error) {
      this.#note = { ok: false, text: `Import failed: ${error instanceof Error ? error.message : String(error)}` };
      return;
    }
    this.#note = { ok: true, text: importedNote(fresh.length) };
  }

  /** Export text of one conversation (by id) or of all. */
  async exportText(format: 'json' | 'markdown', id?: string): Promise<string> {
    const [{ exportToJson, exportToMarkdown }] = await Promise.all([transfer(), this.#host.flush()]);
    const all = this.#host.stored();
    const chosen = id === undefined ? all : all.filter((conversation) => conversation.id === id);
    // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a timestamp, not state
    return format === 'json' ? exportToJson(chosen, new Date()) : exportToMarkdown(chosen);
  }
}
