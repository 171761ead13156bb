import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

/**
 * Builds the benchmark's baseline pages (a blank page, wllama without the app, transformers.js
 * without the app) into bench/dist.
 */
export default defineConfig({
  root: fileURLToPath(new URL('./pages', import.meta.url)),
  base: './',
  logLevel: 'warn',
  worker: { format: 'es' },
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    rollupOptions: {
      input: {
        blank: fileURLToPath(new URL('./pages/blank.html', import.meta.url)),
        raw: fileURLToPath(new URL('./pages/raw-engine.html', import.meta.url)),
        documents: fileURLToPath(new URL('./pages/documents.html', import.meta.url)),
        speech: fileURLToPath(new URL('./pages/raw-speech.html', import.meta.url)),
      },
    },
  },
});
