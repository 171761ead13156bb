import type { ManifestOptions } from 'vite-plugin-pwa';
import { ACCEPTED_TYPES, SHARE_TARGET_PATH } from './lib/summarize/intake.ts';

/** The web app manifest; vite-plugin-pwa writes it as manifest.webmanifest. */
export const webManifest: Partial<ManifestOptions> = {
  name: 'Nook — private AI assistant',
  short_name: 'Nook',
  description:
    'A private AI assistant that runs a small language model on your own device. Nothing you type leaves it.',
  id: '/',
  start_url: '/',
  scope: '/',
  display: 'standalone',
  theme_color: '#2f5d50',
  background_color: '#f7f5f0',
  categories: ['productivity', 'utilities'],
  icons: [
    { src: 'icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
    { src: 'icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
    { src: 'icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
    { src: 'icons/icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' },
  ],
  shortcuts: [
    {
      name: 'New chat',
      url: '/#/chat?new',
      icons: [{ src: 'icons/icon-192.png', sizes: '192x192', type: 'image/png' }],
    },
    {
      name: 'Summarize',
      description: 'Summarize a text or a document, offline',
      url: '/#/summarize',
      icons: [{ src: 'icons/icon-192.png', sizes: '192x192', type: 'image/png' }],
    },
  ],
  // Other apps can share text, links and files to Nook; the service worker receives the POST
  // (src/sw.ts) and the page asks what to do with it: Summarize, Add to documents, Translate.
  share_target: {
    action: `/${SHARE_TARGET_PATH}`,
    method: 'POST',
    enctype: 'multipart/form-data',
    params: {
      title: 'title',
      text: 'text',
      url: 'url',
      files: [{ name: 'files', accept: Object.entries(ACCEPTED_TYPES).flat(2) }],
    },
  },
  // Installed on a desktop, Nook can open these files from the system ("Open with");
  // IncomingState takes them from the launchQueue and asks the same.
  file_handlers: [{ action: '/', accept: ACCEPTED_TYPES }],
};
