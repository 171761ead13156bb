/** The app's views and their addresses (hash routes, so they work offline from the precache). */

export type View = 'chat' | 'summarize' | 'translate' | 'models';

export const VIEWS: readonly { id: View; label: string }[] = [
  { id: 'chat', label: 'Chat' },
  { id: 'summarize', label: 'Summarize' },
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
