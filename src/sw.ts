/// <reference lib="webworker" />
/**
 * Service worker: precaches the app shell, engine code and wasm (the list is injected at build
 * time and versioned by content hash), answers navigations from the cache so the app starts
 * offline, and activates a new version only when the page sends SKIP_WAITING (the user clicked
 * "Reload" on the update prompt). Model files are never cached here: they live in IndexedDB.
 */
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { clientsClaim } from 'workbox-core';

declare const self: ServiceWorkerGlobalScope;

precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();
registerRoute(new NavigationRoute(createHandlerBoundToURL('index.html')));
// The first install takes over the open page at once, so it works offline without a reload. A
// later version only gets here after the user agreed to the update (SKIP_WAITING below).
clientsClaim();

self.addEventListener('message', (event) => {
  if ((event.data as { type?: string } | null)?.type === 'SKIP_WAITING') void self.skipWaiting();
});
