/**
 * Which conversation a tab opens at start. The tab remembers the one it had open (per tab, in
 * sessionStorage), so a reload or an app update comes back to it.
 */

/** Where the tab keeps the id of the conversation it has open. */
export const OPEN_KEY = 'nook:open-conversation';

/**
 * The id to open, or undefined for a new conversation: the remembered one if it is stored; a new
 * one if the tab was on a new (unsaved) one, which may have a draft; else the newest stored.
 */
export function conversationToOpen(
  remembered: string | null,
  isStored: (id: string) => boolean,
  newestId: string | undefined,
): string | undefined {
  if (remembered) return isStored(remembered) ? remembered : undefined;
  return newestId;
}
