/**
 * What the Summarize view will summarize (DocumentInputState: the box, or a document opened or
 * dropped), and what only Summarize takes: a document shared to Nook (share target) or launched
 * with it (file handler).
 */
import { sharedIdFromHash, takeSharedPayload } from '../../lib/summarize/share';
import { DocumentInputState, type InputSource } from '../jobs/document-input.svelte';
import type { StatusLineState } from '../shell/status-line.svelte';

export type { ReadingFile } from '../jobs/document-input.svelte';
export type SummarySource = InputSource<'conversation' | 'shared'>;

export class SummaryInputState extends DocumentInputState<'conversation' | 'shared'> {
  readonly #status: StatusLineState;

  constructor(status: StatusLineState) {
    super(status);
    this.#status = status;
  }

  /** Takes a shared payload named in the address now and later (IncomingState sends it here). */
  async start(): Promise<void> {
    addEventListener('hashchange', () => void this.#takeShared());
    await this.#takeShared();
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
    this.use({ name: payload.title.trim() || 'Shared text', kind: 'shared', text });
    this.#status.fail(undefined);
  }
}
