import { readFileSync } from 'node:fs';
import { defineConfig, type Plugin } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { VitePWA } from 'vite-plugin-pwa';
import { webManifest } from './src/manifest.ts';
import { cspForHeader, cspForMeta } from './src/lib/security/csp.ts';
import { wllamaHeapReads } from './vite-plugins/wllama-heap-reads.ts';
import { warmUpModel } from './vite-plugins/warm-up-model.ts';
import { readCatalog } from './src/lib/models/catalog-schema.ts';

/**
 * Cross-origin isolation lets wllama use its multi-threaded build (SharedArrayBuffer).
 * Every host serving Nook must send these two headers; see docs/hosting.md.
 */
const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/**
 * The Content Security Policy as a `<meta>` tag, in the production build only: Vite's dev server
 * needs inline scripts and styles. Any static host then enforces it without configuration.
 */
const cspMeta = (): Plugin => ({
  name: 'nook-csp-meta',
  apply: 'build',
  // Right after <meta charset>: a policy only governs what comes after it in the document.
  transformIndexHtml(html) {
    const charset = /<meta charset="[^"]*"\s*\/?>/i;
    if (!charset.test(html)) throw new Error('index.html needs <meta charset> for the CSP meta tag to follow');
    return html.replace(
      charset,
      (tag) => `${tag}\n    <meta http-equiv="Content-Security-Policy" content="${cspForMeta()}" />`,
    );
  },
});

/**
 * A malformed model catalog fails the build, with every problem named; the page would skip the
 * entry (docs/decisions/0028-catalog-as-data.md).
 */
const catalogCheck = (): Plugin => ({
  name: 'nook-catalog-check',
  apply: 'build',
  buildStart() {
    const file = new URL('./src/lib/models/catalog.json', import.meta.url);
    const { problems } = readCatalog(JSON.parse(readFileSync(file, 'utf8')));
    if (problems.length > 0) this.error(`src/lib/models/catalog.json: ${problems.join('; ')}`);
  },
});

/**
 * wllama's compat build (for browsers without JSPI or Memory64) gets a name of its own, so that
 * the service worker can leave it out of the precache (16 MB most browsers never use) and cache it
 * on first use instead (src/sw.ts).
 */
const output = {
  assetFileNames: (asset: { originalFileNames: readonly string[] }) =>
    asset.originalFileNames.some((name) => name.includes('@wllama/wllama-compat/'))
      ? 'assets/wllama-compat-[hash][extname]'
      : 'assets/[name]-[hash][extname]',
};

export default defineConfig({
  plugins: [
    svelte(),
    cspMeta(),
    catalogCheck(),
    wllamaHeapReads(),
    warmUpModel(),
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'src',
      filename: 'sw.ts',
      // We register the service worker ourselves with workbox-window (src/state/shell/pwa.svelte.ts).
      injectRegister: false,
      registerType: 'prompt',
      manifest: webManifest,
      injectManifest: {
        // mjs: pdf.js's worker, emitted as an asset, must open PDFs offline too.
        globPatterns: ['**/*.{js,mjs,css,html,svg,png,ico,wasm,webmanifest}'],
        // Both are cached on first use instead (src/sw.ts): the compat build is for other browsers,
        // onnxruntime's 27 MB wasm only for those who use speech to text.
        globIgnores: ['**/wllama-compat-*.wasm', '**/ort-wasm-*.wasm'],
        // wllama's wasm is ~8.8 MB; it must be precached for offline start.
        maximumFileSizeToCacheInBytes: 16 * 1024 * 1024,
      },
      devOptions: { enabled: false },
    }),
  ],
  // wllama runs in the engine worker, whose bundle has plugins of its own.
  worker: { format: 'es', plugins: () => [wllamaHeapReads(), warmUpModel()], rollupOptions: { output } },
  build: { target: 'es2022', sourcemap: true, rollupOptions: { output } },
  // The dev server serves pre-bundled dependencies without running plugins over them: wllama is
  // served as it is installed (it imports nothing), so wllamaHeapReads edits it in dev as well.
  optimizeDeps: { exclude: ['@wllama/wllama'] },
  server: { headers: isolationHeaders },
  // The header carries what a meta tag cannot: frame-ancestors (no framing, so no clickjacking).
  preview: { headers: { ...isolationHeaders, 'Content-Security-Policy': cspForHeader() } },
});
