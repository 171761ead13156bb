/// <reference lib="webworker" />
/**
 * Service worker: precaches the app shell, engine code and wasm, and pdf.js with its worker (the
 * list is injected at build time and versioned by content hash), answers navigations from the
 * cache so the app starts offline, and activates a new version only when the page sends
 * SKIP_WAITING (the user clicked "Reload" on the update prompt). Model files are never cached
 * here: they live in OPFS and IndexedDB. It also receives what other apps share with Nook (Web
 * Share Target): the POSTed form is kept in IndexedDB and the page asks what to do with it.
 */
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { clientsClaim } from 'workbox-core';
import { CacheFirst } from 'workbox-strategies';
import { SHARE_TARGET_PATH } from './lib/summarize/intake';
import { keepSharedPayload } from './lib/summarize/share';
import { receivedAddress } from './lib/intake/route';

declare const self: ServiceWorkerGlobalScope;

precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();
registerRoute(new NavigationRoute(createHandlerBoundToURL('index.html')));
registerRoute(
  ({ url }) => url.href === new URL(SHARE_TARGET_PATH, self.registration.scope).href,
  async ({ request }) => {
    const id = await keepSharedPayload(await request.formData());
    // 303: the browser follows with a GET, which the navigation route answers from the cache. The
    // page then asks what to do with it (Summarize, Add to documents, Translate: lib/intake).
    return Response.redirect(new URL(`./${receivedAddress(id)}`, self.registration.scope).href, 303);
  },
  'POST',
);
// wllama's compat build (Safari and other browsers without JSPI or Memory64) is not precached:
// most browsers never use its 16 MB. The page fetches it once where it is needed
// (warmCompatBuild); it is kept here, and only the current version is kept.
registerRoute(
  ({ url }) => url.origin === self.location.origin && /\/wllama-compat-[^/]+\.wasm$/.test(url.pathname),
  new CacheFirst({
    cacheName: 'nook-wllama-compat',
    plugins: [
      {
        cacheDidUpdate: async ({ cacheName, request }) => {
          const cache = await caches.open(cacheName);
          for (const old of await cache.keys()) if (old.url !== request.url) await cache.delete(old);
        },
      },
    ],
  }),
);
// onnxruntime's wasm (27 MB, speech to text only) is not precached either: it is kept the first
// time the speech worker loads it, which Nook does right after a speech model is downloaded, so
// dictation then works offline. Only the current version is kept.
registerRoute(
  ({ url }) => url.origin === self.location.origin && /\/ort-wasm-[^/]+\.wasm$/.test(url.pathname),
  new CacheFirst({
    cacheName: 'nook-speech-runtime',
    plugins: [
      {
        cacheDidUpdate: async ({ cacheName, request }) => {
          const cache = await caches.open(cacheName);
          for (const old of await cache.keys()) if (old.url !== request.url) await cache.delete(old);
        },
      },
    ],
  }),
);
// The first install takes over the open page at once, so it works offline without a reload. A
// later version only gets here after the user agreed to the update (SKIP_WAITING below).
clientsClaim();

self.addEventListener('message', (event) => {
  if ((event.data as { type?: string } | null)?.type === 'SKIP_WAITING') void self.skipWaiting();
});
