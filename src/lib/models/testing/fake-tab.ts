import type { TitleHost } from '../download-title';

/** A fake of the page's title and visibility (the download's tab title; the screen lock's FakeScreen builds on it). */
export class FakeTab implements TitleHost {
  title = 'Nook';
  visibilityState: DocumentVisibilityState = 'visible';
  readonly #listeners = new Set<() => void>();

  addEventListener(_type: 'visibilitychange', listener: () => void): void {
    this.#listeners.add(listener);
  }
  removeEventListener(_type: 'visibilitychange', listener: () => void): void {
    this.#listeners.delete(listener);
  }
  /** The user went to another tab, or came back. */
  setVisible(visible: boolean): void {
    this.visibilityState = visible ? 'visible' : 'hidden';
    for (const listener of [...this.#listeners]) listener();
  }
  get listeners(): number {
    return this.#listeners.size;
  }
}
