/**
 * The tab's title tells how a model download is doing, for the user who went to another tab while
 * hundreds of MB come in: "42% · Nook" while it runs, and, when it ended while the page was
 * hidden, "Model ready · Nook" or "Download stopped · Nook" until the page is shown again. The
 * title is the app's own again once the news is seen (or at once, on a page the user is looking
 * at). A download the user cancelled leaves no news.
 */
import type { VisibilityHost } from './visibility';

/** What this needs of `document` (the real one, or a test's fake). */
export interface TitleHost extends VisibilityHost {
  title: string;
}

/** How a download ended, as far as the title says. */
export type DownloadEnd = 'stored' | 'failed' | 'cancelled';

const SEPARATOR = ' · ';

/** The title for a download under way: its whole percent, or only that one runs when the size is unknown. */
export function progressTitle(appTitle: string, receivedBytes: number, totalBytes: number | undefined): string {
  if (!totalBytes || totalBytes <= 0) return `Downloading${SEPARATOR}${appTitle}`;
  const percent = Math.min(100, Math.max(0, Math.floor((receivedBytes / totalBytes) * 100)));
  return `${percent}%${SEPARATOR}${appTitle}`;
}

/** The title for a download that ended while nobody looked, or undefined when there is nothing to tell. */
export function endTitle(appTitle: string, end: DownloadEnd): string | undefined {
  if (end === 'stored') return `Model ready${SEPARATOR}${appTitle}`;
  if (end === 'failed') return `Download stopped${SEPARATOR}${appTitle}`;
  return undefined;
}

export class DownloadTitle {
  readonly #host: TitleHost | undefined;
  /** The page's own title (nothing else changes it): put back when there is nothing to tell. */
  readonly #appTitle: string;
  #onVisible: (() => void) | undefined;

  constructor(host: TitleHost | undefined = typeof document === 'undefined' ? undefined : document) {
    this.#host = host;
    this.#appTitle = host?.title ?? '';
  }

  /** A download got this far (called for every progress; the title changes only with the percent). */
  progress(receivedBytes: number, totalBytes: number | undefined): void {
    const host = this.#host;
    if (!host) return;
    this.#forgetNews();
    const title = progressTitle(this.#appTitle, receivedBytes, totalBytes);
    if (host.title !== title) host.title = title;
  }

  /** The download ended: the news stays in the title until a hidden page is shown. */
  ended(end: DownloadEnd): void {
    const host = this.#host;
    if (!host) return;
    this.#forgetNews();
    const appTitle = this.#appTitle;
    const news = host.visibilityState === 'visible' ? undefined : endTitle(appTitle, end);
    host.title = news ?? appTitle;
    if (!news) return;
    const onVisible = () => {
      if (host.visibilityState !== 'visible') return;
      this.#forgetNews();
      host.title = appTitle;
    };
    this.#onVisible = onVisible;
    host.addEventListener('visibilitychange', onVisible);
  }

  #forgetNews(): void {
    if (this.#onVisible) this.#host?.removeEventListener('visibilitychange', this.#onVisible);
    this.#onVisible = undefined;
  }
}
