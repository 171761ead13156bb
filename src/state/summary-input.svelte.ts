/**
 * What the Summarize view will summarize: the text typed or pasted into its box, or a document
 * opened, dropped, shared to Nook (share target) or launched with it (file handler). Reading the
 * file is lib/summarize/extract; the newest file wins over one still being read.
 */
import { isAbortError } from '../lib/engine/errors';
import { SummarizeError } from '../lib/summarize/errors';
import { extractFile, type DocumentKind } from '../lib/summarize/extract';
import { sharedIdFromHash, takeSharedPayload } from '../lib/summarize/share';
import type { StatusLine } from './status-line.svelte';

export interface SummarySource {
  name: string;
  kind: DocumentKind | 'conversation' | 'shared';
  text: string;
  pages?: number;
}

/** A file being read (PDF pages are reported as they come). */
export interface ReadingFile {
  name: string;
  page?: number;
  pages?: number;
}

interface LaunchParams {
  files: readonly FileSystemFileHandle[];
}
interface LaunchQueue {
  setConsumer(consumer: (params: LaunchParams) => void): void;
}

const PASTED_NAME = 'Pasted text';

export class SummaryInput {
  /** Text typed or pasted into the box (used when no document is open; bound to it). */
  draft = $state('');
  /** An opened, dropped or shared document; large, so never deeply proxied. */
  #source = $state.raw<SummarySource | undefined>(undefined);
  #reading = $state<ReadingFile | undefined>(undefined);
  #read: AbortController | undefined;
  readonly #status: StatusLine;

  readonly name = $derived(this.#source?.name ?? PASTED_NAME);
  /** What a summary made now would read. */
  readonly text = $derived(this.#source?.text ?? this.draft);

  constructor(status: StatusLine) {
    this.#status = status;
  }

  get source(): SummarySource | undefined {
    return this.#source;
  }
  get reading(): ReadingFile | undefined {
    return this.#reading;
  }

  /** Takes a shared payload named in the address now and later, and accepts launched files. */
  async start(): Promise<void> {
    const launchQueue = (window as Window & { launchQueue?: LaunchQueue }).launchQueue;
    launchQueue?.setConsumer((params) => {
      const handle = params.files[0];
      if (!handle) return;
      location.hash = '#/summarize';
      void handle.getFile().then((file) => this.openFile(file));
    });
    addEventListener('hashchange', () => void this.#takeShared());
    await this.#takeShared();
  }

  /** A file picked, dropped, shared or launched. */
  async openFile(file: File): Promise<void> {
    this.#read?.abort();
    const controller = new AbortController();
    this.#read = controller;
    this.#status.clear();
    this.#reading = { name: file.name };
    try {
      const document = await extractFile(file, {
        signal: controller.signal,
        onPage: (page, pages) => {
          if (this.#read === controller) this.#reading = { name: file.name, page, pages };
        },
      });
      if (this.#read !== controller) return;
      this.#source = document;
    } catch (error) {
      if (this.#read !== controller || isAbortError(error)) return;
      this.#status.fail(
        error instanceof SummarizeError ? error.message : `“${file.name}” could not be read: ${String(error)}`,
      );
    } finally {
      if (this.#read === controller) {
        this.#reading = undefined;
        this.#read = undefined;
      }
    }
  }

  cancelReading(): void {
    this.#read?.abort();
    this.#read = undefined;
    this.#reading = undefined;
  }

  /** Back to the text box. */
  clearSource(): void {
    this.cancelReading();
    this.#source = undefined;
    this.#status.fail(undefined);
  }

  /** Another view's text (a conversation) replaces whatever was open. */
  use(source: SummarySource): void {
    this.#source = source;
  }

  /** A share arrived through the service worker: read it once and clean the address. */
  async #takeShared(): Promise<void> {
    const id = sharedIdFromHash(location.hash);
    if (!id) return;
    window.history.replaceState(null, '', '#/summarize');
    const payload = await takeSharedPayload(id);
    if (!payload) return this.#status.fail('The shared item is no longer available. Share it again.');
    const file = payload.files[0];
    if (file) return this.openFile(file);
    const text = payload.text.trim();
    if (!text || /^\S+:\/\/\S+$/.test(text)) {
      return this.#status.fail(
        'Only a link was shared. Nook does not fetch web pages (nothing leaves this device): share the page’s text or the file instead.',
      );
    }
    this.cancelReading();
    this.#source = { name: payload.title.trim() || 'Shared text', kind: 'shared', text };
    this.#status.fail(undefined);
  }
}
