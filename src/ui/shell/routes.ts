/** The app's views and their addresses (hash routes, so they work offline from the precache). */

export type View = 'chat' | 'summarize' | 'models';

export const VIEWS: readonly { id: View; label: string }[] = [
  { id: 'chat', label: 'Chat' },
  { id: 'summarize', label: 'Summarize' },
  { id: 'models', label: 'Models' },
];

export const hrefOf = (view: View): string => `#/${view}`;

export function viewFromHash(hash: string): View {
  const id = hash.replace(/^#\/?/, '').split(/[/?]/)[0];
  return VIEWS.find((view) => view.id === id)?.id ?? 'chat';
}
