import { describe, expect, it } from 'vitest';
import { conversationToOpen } from './reopen';

const stored = new Set(['a', 'b']);
const isStored = (id: string) => stored.has(id);

describe('which conversation a tab opens at start', () => {
  it('comes back to the one it had open, even when another is newer', () => {
    expect(conversationToOpen('a', isStored, 'b')).toBe('a');
  });
  it('was on a new, unsaved conversation: a new one again (its draft is kept under that id)', () => {
    expect(conversationToOpen('unsaved', isStored, 'b')).toBeUndefined();
  });
  it('a fresh tab opens the newest stored, or a new one when nothing is stored', () => {
    expect(conversationToOpen(null, isStored, 'b')).toBe('b');
    expect(conversationToOpen(null, () => false, undefined)).toBeUndefined();
  });
});
