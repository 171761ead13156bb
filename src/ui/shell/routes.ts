/** The app's views and their addresses (hash routes, so they work offline from the precache). */

export type View = 'chat' | 'summarize' | 'documents' | 'translate' | 'models';

export const VIEWS: readonly { id: View; label: string }[] = [
  { id: 'chat', label: 'Chat' },
  { id: 'summarize', label: 'Summarize' },
  { id: 'documents', label: 'Documents' },
  { id: 'translate', label: 'Translate' },
  { id: 'models', label: 'Models' },
];

export const hrefOf = (view: View): string => `#/${view}`;

export function viewFromHash(hash: string): View {
  const id = hash.replace(/^#\/?/, '').split(/[/?]/)[0];
  return VIEWS.find((view) => view.id === id)?.id ?? 'chat';
}

/** The "New chat" shortcut's address (`#/chat?new`): open a fresh conversation. */
export function wantsNewChat(hash: string): boolean {
  if (viewFromHash(hash) !== 'chat') return false;
  const query = hash.split('?')[1];
  return query !== undefined && new URLSearchParams(query).has('new');
}

/** Where a source link points: a document in the Documents view, at one of its passages. */
export const hrefOfPassage = (documentId: string, passage: number): string =>
  `#/documents/${encodeURIComponent(documentId)}?passage=${passage}`;

/** The document (and passage) a Documents address opens, if it names one. */
export function documentAddress(hash: string): { documentId: string; passage?: number } | undefined {
  const match = /^#\/documents\/([^?]+)(?:\?(.*))?$/.exec(hash);
  if (!match) return undefined;
  const passage = Number(new URLSearchParams(match[2] ?? '').get('passage') ?? NaN);
  return {
    documentId: decodeURIComponent(match[1]!),
    ...(Number.isInteger(passage) && passage >= 0 ? { passage } : {}),
  };
}
