import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';

/**
 * Unit tests in Node: the pure logic in src/lib (`*.test.ts`), and the runes stores in src/state
 * (`*.svelte.test.ts`, compiled by the Svelte plugin against its browser runtime so `$state` and
 * `$derived` behave as in the page), and the build's own plugins (vite-plugins/). Browser behaviour is covered by e2e/.
 */
export default defineConfig({
  plugins: [svelte()],
  resolve: { conditions: ['browser'] },
  test: {
    include: ['src/**/*.test.ts', 'vite-plugins/**/*.test.ts'],
    environment: 'node',
  },
});
