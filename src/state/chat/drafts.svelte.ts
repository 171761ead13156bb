/**
 * What the user is typing, per conversation: kept in memory for the composer and saved (debounced,
 * flushed when the page hides and before an app update reloads it), so neither a reload, an
 * update nor a closed tab loses a half-written message.
 */
import { loadDrafts, saveDraft, type Draft } from '../../lib/storage/drafts';
import { DebouncedWriter, flushWhenPageHides } from '../../lib/storage/debounced-writer';

const SAVE_DELAY_MS = 300;

export class DraftsState {
  #texts = $state<Record<string, string>>({});
  error = $state<string | undefined>(undefined);
  /** The saved drafts have been read (or could not be): what the box shows is what was kept. */
  ready = $state(false);
  readonly #writer = new DebouncedWriter<Draft>(saveDraft, SAVE_DELAY_MS, (error) => {
    this.error = `Could not keep your draft: ${error instanceof Error ? error.message : String(error)}`;
  });

  /** Reads the saved drafts; typing that happened before they arrived wins over them. */
  async start(): Promise<() => void> {
    const stopListening = flushWhenPageHides(() => void this.flush());
    try {
      for (const [key, text] of await loadDrafts()) this.#texts[key] ??= text;
    } catch (error) {
      this.error = `Saved drafts could not be read: ${error instanceof Error ? error.message : String(error)}`;
    }
    this.ready = true;
    return stopListening;
  }

  text(key: string | undefined): string {
    return key ? (this.#texts[key] ?? '') : '';
  }

  set(key: string | undefined, text: string): void {
    if (!key) return;
    this.#texts[key] = text;
    this.#writer.schedule(key, () => ({ key, text: this.#texts[key] ?? '' }));
  }

  /** The message was sent: its draft is gone at once. */
  clear(key: string | undefined): void {
    if (!key) return;
    this.set(key, '');
    void this.flush();
  }

  flush(): Promise<void> {
    return this.#writer.flush();
  }
}
