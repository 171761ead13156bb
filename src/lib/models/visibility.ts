/**
 * What the download helpers need of the page's visibility (`document`, or a test's fake): the
 * screen lock (screen-awake) is taken again and the tab's title news (download-title) is cleared
 * when a hidden page is shown.
 */
export interface VisibilityHost {
  readonly visibilityState: DocumentVisibilityState;
  addEventListener(type: 'visibilitychange', listener: () => void): void;
  removeEventListener(type: 'visibilitychange', listener: () => void): void;
}
