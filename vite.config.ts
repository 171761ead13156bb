import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { VitePWA } from 'vite-plugin-pwa';
import { webManifest } from './src/manifest.ts';

/**
 * Cross-origin isolation lets wllama use its multi-threaded build (SharedArrayBuffer).
 * Every host serving Nook must send these two headers; see README "Hosting".
 */
const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  plugins: [
    svelte(),
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'src',
      filename: 'sw.ts',
      // We register the service worker ourselves with workbox-window (src/lib/pwa/).
      injectRegister: false,
      registerType: 'prompt',
      manifest: webManifest,
      injectManifest: {
        // mjs: pdf.js's worker, emitted as an asset, must open PDFs offline too.
        globPatterns: ['**/*.{js,mjs,css,html,svg,png,ico,wasm,webmanifest}'],
        // wllama's wasm is ~8.8 MB; it must be precached for offline start.
        maximumFileSizeToCacheInBytes: 16 * 1024 * 1024,
      },
      devOptions: { enabled: false },
    }),
  ],
  worker: { format: 'es' },
  build: { target: 'es2022', sourcemap: true },
  server: { headers: isolationHeaders },
  preview: { headers: isolationHeaders },
});
