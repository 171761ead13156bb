/**
 * What a job view (Summarize, Translate) works on: the text typed or pasted into its box, or a
 * document opened, dropped or handed over (then the box is set aside until it is removed).
 * Reading a file is lib/summarize/extract; the newest file wins over one still being read. Each
 * view's input extends this with what is its own (a share target, telling the languages).
 */
import { isAbortError } from '../../lib/engine/errors';
import { SummarizeError } from '../../lib/summarize/errors';
import { extractFile, type DocumentKind } from '../../lib/summarize/extract';
import type { StatusLineState } from '../shell/status-line.svelte';

/** A document to work on; `Kind` names the other views' texts a job takes besides files. */
export interface InputSource<Kind extends string> {
  name: string;
  kind: DocumentKind | Kind;
  text: string;
  pages?: number;
}

/** A file being read (PDF pages are reported as they come). */
export interface ReadingFile {
  name: string;
  page?: number;
  pages?: number;
}

const PASTED_NAME = 'Pasted text';

export class DocumentInputState<Kind extends string> {
  /** Text typed or pasted into the box (used when no document is open; bound to it). */
  draft = $state('');
  /** An opened, dropped or handed-over document; large, so never deeply proxied. */
  #source = $state.raw<InputSource<Kind> | undefined>(undefined);
  #reading = $state<ReadingFile | undefined>(undefined);
  #read: AbortController | undefined;
  readonly #status: StatusLineState;
  /** Whether Markdown files keep their marks (a translation keeps the document's shape). */
  readonly #keepMarkdown: boolean;

  readonly name = $derived(this.#source?.name ?? PASTED_NAME);
  /** What a run started now would read. */
  readonly text = $derived(this.#source?.text ?? this.draft);

  constructor(status: StatusLineState, { keepMarkdown = false } = {}) {
    this.#status = status;
    this.#keepMarkdown = keepMarkdown;
  }

  get source(): InputSource<Kind> | undefined {
    return this.#source;
  }
  get reading(): ReadingFile | undefined {
    return this.#reading;
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
        keepMarkdown: this.#keepMarkdown,
        onPage: (page, pages) => {
          if (this.#read === controller) this.#reading = { name: file.name, page, pages };
        },
      });
      if (this.#read !== controller) return;
      this.use(document);
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

  /** A document to work on instead of the box's text (another view's text replaces what was open). */
  use(source: InputSource<Kind>): void {
    this.#source = source;
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
}
