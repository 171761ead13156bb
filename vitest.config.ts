import { defineConfig } from 'vitest/config';

/** Unit tests of the pure logic in src/lib, in Node. Browser behaviour is covered by e2e/. */
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
});
