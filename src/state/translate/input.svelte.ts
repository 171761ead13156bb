/**
 * What Translate translates (DocumentInputState: the box, or a document opened, dropped, or handed
 * over by Chat and Summarize), with Markdown files kept as they are (the translation keeps their
 * shape), and what only Translate needs: every change of the text is told (the languages detect
 * again), and removing the document clears the whole status line.
 */
import { DocumentInputState, type InputSource } from '../jobs/document-input.svelte';
import type { StatusLineState } from '../shell/status-line.svelte';

export type TranslateSource = InputSource<'chat-reply' | 'summary'>;

export class TranslateInputState extends DocumentInputState<'chat-reply' | 'summary'> {
  readonly #changed: () => void;
  readonly #status: StatusLineState;

  /** `changed`: the text to translate changed. */
  constructor(status: StatusLineState, changed: () => void) {
    super(status, { keepMarkdown: true });
    this.#status = status;
    this.#changed = changed;
  }

  /** The box's text was edited. */
  edited(): void {
    this.#changed();
  }

  override use(source: TranslateSource): void {
    super.use(source);
    this.#changed();
  }

  override clearSource(): void {
    super.clearSource();
    this.#status.clear();
    this.#changed();
  }
}
