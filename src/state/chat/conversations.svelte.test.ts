import 'fake-indexeddb/auto';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConversationsState } from './conversations.svelte';
import { installPageGlobals } from '../testing/page-globals';

/** sessionStorage is per tab: a test that starts a fresh tab clears it. */
const session = new Map<string, string>();

beforeAll(() => void installPageGlobals(session));

async function eventually(check: () => void): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      return check();
    } catch (error) {
      if (attempt > 200) throw error;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }
}

describe('ConversationsState (fake-indexeddb; two stores are two tabs)', () => {
  it('lists a new conversation at its first message, saves it, and another tab sees it and its rename', async () => {
    const a = new ConversationsState();
    const b = new ConversationsState();
    await a.start();
    await b.start();
    const conversation = a.active!;
    expect(a.isListed(conversation.id)).toBe(false);
    conversation.messages.push({ id: 'q', role: 'user', content: 'What is Nook?', createdAt: 2 });
    conversation.title = 'What is Nook?';
    a.touch(conversation, { now: true });
    expect(a.list.map((c) => c.title)).toEqual(['What is Nook?']);
    await a.flush();
    await eventually(() => expect(b.list.map((c) => c.title)).toEqual(['What is Nook?']));

    b.rename(conversation.id, 'Renamed in B');
    await b.flush();
    await eventually(() => expect(a.active?.title).toBe('Renamed in B'));
    // One live copy: the open conversation is the listed one.
    expect(a.list[0]).toBe(a.active);
  });

  it('a reload opens the stored conversation with what was written, a reply included', async () => {
    session.clear();
    const a = new ConversationsState();
    await a.start();
    const open = a.active!;
    open.messages.push({ id: 'r', role: 'assistant', content: 'A private assistant.', createdAt: 3 });
    a.touch(open);
    await a.flush();
    const reloaded = new ConversationsState(); // the same tab: it reopens what it had open
    await reloaded.start();
    expect(reloaded.active?.messages.map((m) => m.content)).toEqual(['What is Nook?', 'A private assistant.']);
    expect(await reloaded.transfer.exportText('markdown')).toContain('A private assistant.');
  });

  it('a conversation deleted in one tab leaves the other, which opens another one', async () => {
    const a = new ConversationsState();
    const b = new ConversationsState();
    await a.start();
    await b.start();
    const id = a.active!.id;
    expect(b.isListed(id)).toBe(true);
    const before = b.total;
    await a.remove(id);
    await eventually(() => expect(b.isListed(id)).toBe(false));
    expect(b.active?.id).not.toBe(id);
    expect(b.total).toBe(before - 1);
  });
});
