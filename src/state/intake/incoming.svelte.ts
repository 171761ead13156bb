/**
 * What another app shared with Nook, or the files the system opened with it, waiting for the
 * user's choice: Summarize, Add to documents or Translate (lib/intake says which fit). Shared
 * payloads stay in their store until a view takes them; launched files are held here.
 */
import {
  describeIncoming,
  incomingActions,
  receivedIdFromHash,
  type IncomingAction,
  type IncomingItem,
} from '../../lib/intake/route';
import { peekSharedPayload, takeSharedPayload } from '../../lib/summarize/share';
import type { LibraryState } from '../documents/library.svelte';
import type { SummarizeState } from '../summarize/summarize.svelte';
import type { TranslateState } from '../translate/translate.svelte';

interface LaunchQueue {
  setConsumer(consumer: (params: { files: readonly FileSystemFileHandle[] }) => void): void;
}

export interface PendingIncoming {
  label: string;
  actions: IncomingAction[];
  /** Launched files (in memory); a share is read from its store by id instead. */
  item: IncomingItem & { files: readonly File[] };
  sharedId?: string;
}

interface Destinations {
  summarize: SummarizeState;
  library: LibraryState;
  translate: TranslateState;
}

export class IncomingState {
  #pending = $state.raw<PendingIncoming | undefined>(undefined);
  #error = $state<string | undefined>(undefined);
  readonly #to: Destinations;

  constructor(destinations: Destinations) {
    this.#to = destinations;
  }

  get pending(): PendingIncoming | undefined {
    return this.#pending;
  }
  get error(): string | undefined {
    return this.#error;
  }

  /** Listens for launched files and shared payloads (one named in the address now, or later). */
  async start(): Promise<void> {
    const launchQueue = (window as Window & { launchQueue?: LaunchQueue }).launchQueue;
    launchQueue?.setConsumer((params) => {
      void Promise.all(params.files.map((handle) => handle.getFile())).then((files) => {
        if (files.length > 0) this.#offer({ files, text: '', title: '' });
      });
    });
    addEventListener('hashchange', () => void this.#takeReceived());
    await this.#takeReceived();
  }

  async choose(action: IncomingAction): Promise<void> {
    const pending = this.#pending;
    if (!pending) return;
    this.#pending = undefined;
    const item = pending.sharedId ? await this.#takeShared(pending.sharedId, action) : pending.item;
    if (!item) return;
    const [file] = item.files;
    switch (action) {
      case 'summarize':
        location.hash = '#/summarize';
        if (file) await this.#to.summarize.input.openFile(file);
        return;
      case 'documents':
        location.hash = '#/documents';
        if (item.files.length > 0) await this.#to.library.addFiles(item.files);
        else await this.#to.library.addText(item.text, item.title.trim() || 'Shared text');
        return;
      case 'translate':
        location.hash = '#/translate';
        await this.#to.translate.input.openFile(
          file ?? new File([item.text], `${item.title.trim() || 'Shared text'}.txt`),
        );
        return;
    }
  }

  /** Not now: a shared payload is deleted (nothing received is kept unasked). */
  async dismiss(): Promise<void> {
    const id = this.#pending?.sharedId;
    this.#pending = undefined;
    if (id) await takeSharedPayload(id);
  }

  /**
   * A share's payload, for the view picked. Summarize takes its own (through its address, which
   * also tells a link alone); the others take it here.
   */
  async #takeShared(id: string, action: IncomingAction): Promise<(IncomingItem & { files: File[] }) | undefined> {
    if (action === 'summarize') {
      location.hash = `#/summarize?shared=${encodeURIComponent(id)}`;
      return undefined;
    }
    const payload = await takeSharedPayload(id);
    if (!payload) this.#error = 'The shared item is no longer available. Share it again.';
    return payload;
  }

  async #takeReceived(): Promise<void> {
    const id = receivedIdFromHash(location.hash);
    if (!id) return;
    history.replaceState(null, '', '#/');
    const payload = await peekSharedPayload(id);
    if (!payload) {
      this.#error = 'The shared item is no longer available. Share it again.';
      return;
    }
    this.#offer(payload, id);
  }

  #offer(item: IncomingItem & { files: readonly File[] }, sharedId?: string): void {
    this.#error = undefined;
    const actions = incomingActions(item);
    const pending = { label: describeIncoming(item), actions, item, ...(sharedId ? { sharedId } : {}) };
    // Nothing to choose (a link alone): straight to Summarize, which says why it cannot read it.
    if (actions.length === 1) {
      this.#pending = pending;
      void this.choose(actions[0]!);
      return;
    }
    this.#pending = pending;
  }
}
