/**
 * What Translate translates: the text typed or pasted into the box, or a document opened,
 * dropped, or handed over by Chat and Summarize (then the box is set aside until it is removed).
 * Reading a file is lib/summarize/extract; the newest file wins over one still being read.
 */
import { isAbortError } from '../lib/engine/errors';
import { SummarizeError } from '../lib/summarize/errors';
import { extractFile, type DocumentKind } from '../lib/summarize/extract';

export interface TranslateSource {
  name: string;
  kind: DocumentKind | 'chat-reply' | 'summary';
  text: string;
  pages?: number;
}

const PASTED_NAME = 'Pasted text';

export class TranslateInput {
  /** Text typed or pasted into the box (used when no document is open). */
  draft = $state('');
  #source = $state.raw<TranslateSource | undefined>(undefined);
  #reading = $state<string | undefined>(undefined);
  #read: AbortController | undefined;
  readonly #changed: () => void;
  readonly #fail: (message: string | undefined) => void;

  readonly name = $derived(this.#source?.name ?? PASTED_NAME);
  readonly text = $derived(this.#source?.text ?? this.draft);

  /** `changed`: the text to translate changed; `fail`: a sentence for the view (undefined clears it). */
  constructor(changed: () => void, fail: (message: string | undefined) => void) {
    this.#changed = changed;
    this.#fail = fail;
  }

  /** An opened, dropped or handed-over document; large, so never deeply proxied. */
  get source(): TranslateSource | undefined {
    return this.#source;
  }

  /** The name of the file being read. */
  get reading(): string | undefined {
    return this.#reading;
  }

  /** The box's text was edited. */
  edited(): void {
    this.#changed();
  }

  async openFile(file: File): Promise<void> {
    this.#read?.abort();
    const controller = new AbortController();
    this.#read = controller;
    this.#fail(undefined);
    this.#reading = file.name;
    try {
      const document = await extractFile(file, { signal: controller.signal, keepMarkdown: true });
      if (this.#read !== controller) return;
      this.use(document);
    } catch (error) {
      if (this.#read !== controller || isAbortError(error)) return;
      this.#fail(
        error instanceof SummarizeError ? error.message : `“${file.name}” could not be read: ${String(error)}`,
      );
    } finally {
      if (this.#read === controller) {
        this.#reading = undefined;
        this.#read = undefined;
      }
    }
  }

  /** A document to translate instead of the box's text. */
  use(source: TranslateSource): void {
    this.#source = source;
    this.#changed();
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
    this.#fail(undefined);
    this.#changed();
  }
}
