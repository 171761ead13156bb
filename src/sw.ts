/// <reference lib="webworker" />
/**
 * Service worker: precaches the app shell, engine code and wasm (the list is injected at build
 * time and versioned by content hash), answers navigations from the cache so the app starts
 * offline, and activates a new version only when the page sends SKIP_WAITING (the user clicked
 * "Reload" on the update prompt). Model files are never cached here: they live in IndexedDB.
 */
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';

declare const self: ServiceWorkerGlobalScope;

precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();
registerRoute(new NavigationRoute(createHandlerBoundToURL('index.html')));

self.addEventListener('message', (event) => {
  if ((event.data as { type?: string } | null)?.type === 'SKIP_WAITING') void self.skipWaiting();
});
