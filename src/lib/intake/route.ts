/**
 * What Nook can do with something another app shares to it (Web Share Target) or a file the
 * system opens with it ("Open with", File Handling): summarize it, add it to the documents
 * library, or translate it. The user picks; this module only says which choices fit and how to
 * name the item. Pure, no DOM: the service worker, the stores and Node tests use it. It owns no
 * storage (shared payloads are kept by lib/summarize/share) and no view.
 */

export type IncomingAction = 'summarize' | 'documents' | 'translate';

export interface IncomingItem {
  files: readonly { name: string }[];
  text: string;
  title: string;
}

/** The address parameter the service worker hands a shared payload's id in (`#/?received=<id>`). */
export const RECEIVED_PARAM = 'received';

export const receivedAddress = (id: string): string => `#/?${RECEIVED_PARAM}=${encodeURIComponent(id)}`;

/** The id of a shared payload waiting for the user's choice, if the address names one. */
export function receivedIdFromHash(hash: string): string | undefined {
  const query = hash.split('?')[1];
  return query ? (new URLSearchParams(query).get(RECEIVED_PARAM) ?? undefined) : undefined;
}

/** A share of a link alone carries nothing to read: no choice to offer (Summarize says why). */
export const isLinkOnly = (item: IncomingItem): boolean =>
  item.files.length === 0 && (!item.text.trim() || /^\S+:\/\/\S+$/.test(item.text.trim()));

export function incomingActions(item: IncomingItem): IncomingAction[] {
  if (isLinkOnly(item)) return ['summarize'];
  // Several files go to the library together; Summarize and Translate read one at a time.
  if (item.files.length > 1) return ['documents', 'summarize', 'translate'];
  return ['summarize', 'documents', 'translate'];
}

/** How the choice names what arrived: the file's name, "3 files", or the shared title. */
export function describeIncoming(item: IncomingItem): string {
  const [first] = item.files;
  if (item.files.length > 1) return `${item.files.length} files`;
  if (first) return `“${first.name || 'Shared file'}”`;
  return item.title.trim() ? `“${item.title.trim()}”` : 'the shared text';
}

export const ACTION_LABELS: Record<IncomingAction, string> = {
  summarize: 'Summarize',
  documents: 'Add to documents',
  translate: 'Translate',
};
