/**
 * The app as an installed, offline-capable PWA: network state, the browser's install offer, and
 * the service-worker update that waits for the user's consent before it takes over.
 */
import type { Workbox } from 'workbox-window';

interface BeforeInstallPromptEvent extends Event {
  prompt(): Promise<void>;
  userChoice: Promise<{ outcome: 'accepted' | 'dismissed' }>;
}

export class PwaState {
  online = $state(navigator.onLine);
  /** True once the service worker controls this page (the app will start offline). */
  offlineReady = $state(false);
  updateAvailable = $state(false);
  #installPrompt = $state.raw<BeforeInstallPromptEvent | undefined>(undefined);
  #workbox: Workbox | undefined;
  #updateAccepted = false;
  /** Work that must land before an accepted update reloads the page (drafts, conversations). */
  readonly #beforeReload: (() => Promise<unknown>)[] = [];

  readonly canInstall = $derived(this.#installPrompt !== undefined);

  start(): void {
    addEventListener('online', () => (this.online = true));
    addEventListener('offline', () => (this.online = false));
    addEventListener('beforeinstallprompt', (event) => {
      event.preventDefault(); // show our own Install button instead of the mini-infobar
      this.#installPrompt = event as BeforeInstallPromptEvent;
    });
    addEventListener('appinstalled', () => (this.#installPrompt = undefined));
  }

  /**
   * Registers the service worker (workbox-window, imported here: it is not needed before the
   * first view). Called after start-up; the page works without it, offline only once it runs.
   */
  async register(): Promise<void> {
    if (!('serviceWorker' in navigator) || import.meta.env.DEV) return;
    const { Workbox } = await import('workbox-window');
    const workbox = new Workbox(`${import.meta.env.BASE_URL}sw.js`, { scope: import.meta.env.BASE_URL });
    this.#workbox = workbox;
    workbox.addEventListener('waiting', () => (this.updateAvailable = true));
    // After the user accepted the update, the new worker takes control: load the new version.
    // (Workbox's own isUpdate flag is false on a first visit, so it cannot tell this case.)
    workbox.addEventListener('controlling', () => {
      if (this.#updateAccepted) location.reload();
    });
    void workbox.register().then(() => {
      this.offlineReady = navigator.serviceWorker.controller !== null;
    });
    navigator.serviceWorker.addEventListener('controllerchange', () => (this.offlineReady = true));
  }

  async install(): Promise<void> {
    const prompt = this.#installPrompt;
    if (!prompt) return;
    await prompt.prompt();
    const { outcome } = await prompt.userChoice;
    if (outcome === 'accepted') this.#installPrompt = undefined;
  }

  /** Registers something to save before the page reloads into a new version. */
  beforeReload(save: () => Promise<unknown>): void {
    this.#beforeReload.push(save);
  }

  async applyUpdate(): Promise<void> {
    if (this.#updateAccepted) return;
    this.#updateAccepted = true;
    // Saved first: a write started while the page unloads may never land.
    await Promise.allSettled(this.#beforeReload.map((save) => save()));
    this.#workbox?.messageSkipWaiting();
  }
}
