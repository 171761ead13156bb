/**
 * A part of Nook's own code that is loaded on first use (a lazy chunk) could not be fetched: the
 * page is offline before the service worker saved the app for offline use. Browsers word it
 * differently (Chromium, Firefox, Safari); the user gets one sentence they can act on.
 */
const CHUNK_FAILURES = [
  /Failed to fetch dynamically imported module/i,
  /error loading dynamically imported module/i,
  /Importing a module script failed/i,
];

export function isChunkLoadError(error: unknown): boolean {
  return error instanceof TypeError && CHUNK_FAILURES.some((pattern) => pattern.test(error.message));
}

export const CHUNK_LOAD_MESSAGE =
  'Nook could not load this part of itself: the network is off and Nook has not finished saving itself for offline use. Connect once, then try again.';
