// Budgets the production build must keep, shared by the tests that enforce them
// (e2e/startup.spec.ts, in `npm test`) and the bench that reports them (bench/sections/startup.mjs).

/**
 * Compressed (gzip) JavaScript the page may fetch before its first view is ready: the entry, the
 * Svelte runtime and nothing else. A feature that needs more before the message box works has to
 * say why, here, with its measurement (docs/decisions/0022-start-up-path.md).
 */
export const FIRST_VIEW_JS_BYTES = 60 * 1024;
