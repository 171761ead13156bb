/**
 * What Nook takes in from outside: the document types it reads (file picker, drop, the
 * manifest's file handlers and share target) and the share target's address. No imports, so the
 * manifest (built in Node) and the service worker can use it.
 */

/** The manifest's share_target action; the service worker answers POSTs to it. */
export const SHARE_TARGET_PATH = 'share-target';

export const ACCEPTED_TYPES: Record<string, string[]> = {
  'text/plain': ['.txt', '.text', '.log'],
  'text/markdown': ['.md', '.markdown'],
  'text/html': ['.html', '.htm'],
  'application/pdf': ['.pdf'],
};

export const ACCEPT_ATTRIBUTE = Object.entries(ACCEPTED_TYPES)
  .flatMap(([mime, extensions]) => [mime, ...extensions])
  .join(',');
