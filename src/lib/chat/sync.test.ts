import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { newConversation, type Conversation } from './conversation';
import { adoptStored } from './adopt';
import { ConversationSync, type SyncHost, type SyncStorage } from './sync';
import * as idb from './store';
import { loadConversation } from './store';

/** One tab: its live copies, and what the sync told it. */
class Tab {
  readonly live = new Map<string, Conversation>();
  readonly deleted: string[] = [];
  failures: unknown[] = [];
  readonly sync: ConversationSync;
  readonly host: SyncHost = {
    snapshot: (id) => {
      const live = this.live.get(id);
      return live && structuredClone(live);
    },
    adopt: (stored, from) => {
      const live = this.live.get(stored.id);
      if (live) adoptStored(live, stored, from);
    },
    added: (stored) => void this.live.set(stored.id, structuredClone(stored)),
    deleted: (id) => {
      this.live.delete(id);
      this.deleted.push(id);
    },
    failed: (error) => (this.failures = error === undefined ? [] : [...this.failures, error]),
  };

  constructor(channel: string, storage: SyncStorage = idb) {
    // Each tab its own channel object on one name, as two tabs have.
    this.sync = new ConversationSync(this.host, { delayMs: 10, channel: new BroadcastChannel(channel), storage });
  }

  async open(): Promise<void> {
    for (const conversation of (await this.sync.load()).conversations) this.live.set(conversation.id, conversation);
  }
}

/** Polls until `check` passes (the other tab hears over a real BroadcastChannel). */
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

function withQuestion(id: string): Conversation {
  const conversation = newConversation(id, 1);
  conversation.messages.push({ id: `${id}-q`, role: 'user', content: 'hello', createdAt: 2 });
  return conversation;
}

describe('ConversationSync across two tabs (fake-indexeddb, BroadcastChannel)', () => {
  it('shows a conversation stored in one tab in the other, and a rename made there', async () => {
    const a = new Tab('sync-1');
    const b = new Tab('sync-1');
    await Promise.all([a.open(), b.open()]);
    a.live.set('c1', withQuestion('c1'));
    a.sync.schedule('c1');
    await a.sync.flush();
    await eventually(() => expect(b.live.get('c1')?.messages.map((m) => m.content)).toEqual(['hello']));

    b.live.get('c1')!.title = 'Renamed in B';
    b.sync.schedule('c1');
    await b.sync.flush();
    await eventually(() => expect(a.live.get('c1')?.title).toBe('Renamed in B'));
    a.sync.close();
    b.sync.close();
  });

  it('keeps a reply streaming in one tab and a rename in the other (both written)', async () => {
    const a = new Tab('sync-2');
    const b = new Tab('sync-2');
    a.live.set('c2', withQuestion('c2'));
    a.sync.schedule('c2');
    await a.sync.flush();
    await b.open();
    const reply = { id: 'r', role: 'assistant' as const, content: 'Hi', createdAt: 3 };
    a.live.get('c2')!.messages.push(reply);
    b.live.get('c2')!.title = 'Named in B';
    // Both write before either hears the other.
    a.sync.schedule('c2');
    b.sync.schedule('c2');
    await Promise.all([a.sync.flush(), b.sync.flush()]);
    const stored = await loadConversation('c2');
    expect(stored?.title).toBe('Named in B');
    expect(stored?.messages.map((m) => m.id)).toEqual(['c2-q', 'r']);
    await eventually(() => expect(a.live.get('c2')?.title).toBe('Named in B'));
    // The reply object A streams into was kept, not replaced.
    expect(a.live.get('c2')!.messages[1]).toBe(reply);
    a.sync.close();
    b.sync.close();
  });

  it('drops a conversation deleted in the other tab, unless this tab is still writing it', async () => {
    const a = new Tab('sync-3');
    const b = new Tab('sync-3');
    a.live.set('c3', withQuestion('c3'));
    a.sync.schedule('c3');
    await a.sync.flush();
    await b.open();
    await b.sync.remove('c3');
    await eventually(() => expect(a.deleted).toEqual(['c3']));
    expect(a.live.has('c3')).toBe(false);
    expect(await loadConversation('c3')).toBeUndefined();
    a.sync.close();
    b.sync.close();
  });

  it('keeps a failed write (storage full) and writes it with the next flush', async () => {
    let full = true;
    const host = new Tab('sync-4');
    const sync = new ConversationSync(host.host, {
      delayMs: 10,
      channel: undefined,
      storage: {
        loadConversations: () => Promise.resolve({ conversations: [], unreadable: 0 }),
        loadConversation: () => Promise.resolve(undefined),
        saveConversation: () => Promise.resolve(),
        saveConversationNow: () => Promise.resolve(),
        deleteConversation: () => Promise.resolve(),
        saveConversationMerged: (ours) =>
          full ? Promise.reject(new DOMException('full', 'QuotaExceededError')) : Promise.resolve(ours),
      },
    });
    host.live.set('c4', withQuestion('c4'));
    sync.schedule('c4');
    await sync.flush();
    expect(host.failures).toHaveLength(1);
    full = false;
    await sync.flush();
    expect(host.failures).toEqual([]);
    host.sync.close();
  });

  it('imports all or nothing', async () => {
    const tab = new Tab('sync-5');
    let writes = 0;
    const deleted: string[] = [];
    const sync = new ConversationSync(tab.host, {
      channel: undefined,
      storage: {
        loadConversations: () => Promise.resolve({ conversations: [], unreadable: 0 }),
        loadConversation: () => Promise.resolve(undefined),
        saveConversation: () => (++writes === 2 ? Promise.reject(new Error('disk')) : Promise.resolve()),
        saveConversationNow: () => Promise.resolve(),
        deleteConversation: (id) => Promise.resolve(void deleted.push(id)),
        saveConversationMerged: (ours) => Promise.resolve(ours),
      },
    });
    await expect(sync.addAll([withQuestion('i1'), withQuestion('i2')])).rejects.toThrow('disk');
    expect(deleted.sort()).toEqual(['i1', 'i2']);
    tab.sync.close();
  });
});

/** IndexedDB as the sync uses it, noting which kind of write each save was. */
function countedStorage(): { storage: SyncStorage; writes: string[] } {
  const writes: string[] = [];
  const storage: SyncStorage = {
    ...idb,
    saveConversationMerged: (ours, base) => {
      writes.push('merged');
      return idb.saveConversationMerged(ours, base);
    },
    saveConversationNow: (conversation) => {
      writes.push('now');
      return idb.saveConversationNow(conversation);
    },
  };
  return { storage, writes };
}

const reply = (content: string) => ({ id: 'r', role: 'assistant' as const, content, createdAt: 3 });

describe('ConversationSync when the page hides', () => {
  it('writes a streaming reply with no read first (a closing page may not live to see one)', async () => {
    const { storage, writes } = countedStorage();
    const a = new Tab('hide-1', storage);
    a.live.set('h1', withQuestion('h1'));
    a.sync.schedule('h1');
    await a.sync.flush();
    a.live.get('h1')!.messages.push(reply('Half a rep'));
    a.sync.schedule('h1');
    await a.sync.flushOnHide();
    expect(writes).toEqual(['merged', 'now']);
    expect((await loadConversation('h1'))?.messages.map((m) => m.content)).toEqual(['hello', 'Half a rep']);
    expect(a.sync.pending('h1')).toBe(false);
    a.sync.close();
  });

  it('merges instead when another tab stored the conversation since (its rename is kept)', async () => {
    const { storage, writes } = countedStorage();
    // A's channel is one the test speaks on, so A hears B exactly when the test says.
    const channel = Object.assign(new EventTarget(), { postMessage() {}, close() {} }) as unknown as BroadcastChannel;
    const a = new Tab('hide-2', storage);
    const aSync = new ConversationSync(a.host, { delayMs: 60_000, channel, storage });
    const b = new Tab('hide-2b');
    a.live.set('h2', withQuestion('h2'));
    aSync.schedule('h2');
    await aSync.flush();
    await b.open();
    // A is streaming (a write waits) when B's rename lands, so A does not read it in.
    a.live.get('h2')!.messages.push(reply('Hi'));
    aSync.schedule('h2');
    b.live.get('h2')!.title = 'Named in B';
    b.sync.schedule('h2');
    await b.sync.flush();
    channel.dispatchEvent(new MessageEvent('message', { data: { kind: 'saved', id: 'h2' } }));
    await aSync.flushOnHide();
    expect(writes).toEqual(['merged', 'merged']);
    const stored = await loadConversation('h2');
    expect(stored?.title).toBe('Named in B');
    expect(stored?.messages.map((m) => m.content)).toEqual(['hello', 'Hi']);
    // Once merged, the base is current again: the next hide writes with no read.
    a.live.get('h2')!.messages[1]!.content = 'Hi there';
    aSync.schedule('h2');
    await aSync.flushOnHide();
    expect(writes).toEqual(['merged', 'merged', 'now']);
    expect(await loadConversation('h2')).toMatchObject({ title: 'Named in B' });
    a.sync.close();
    b.sync.close();
  });

  it("merges when a write of its own is still under way (it may bring in another tab's change)", async () => {
    const { storage, writes } = countedStorage();
    const a = new Tab('hide-3', storage);
    a.live.set('h3', withQuestion('h3'));
    a.sync.schedule('h3');
    const first = a.sync.flush();
    a.live.get('h3')!.messages.push(reply('Hi'));
    a.sync.schedule('h3');
    await Promise.all([first, a.sync.flushOnHide()]);
    expect(writes).toEqual(['merged', 'merged']);
    expect((await loadConversation('h3'))?.messages.map((m) => m.content)).toEqual(['hello', 'Hi']);
    a.sync.close();
  });
});

describe('adoptStored', () => {
  it('takes what changed elsewhere and keeps messages added here since', () => {
    const from = withQuestion('x');
    const live = structuredClone(from);
    const mine = { id: 'mine', role: 'user' as const, content: 'added here', createdAt: 9 };
    live.messages.push(mine);
    const stored = structuredClone(from);
    stored.title = 'Theirs';
    stored.settings.temperature = 0;
    stored.messages.push({ id: 'theirs', role: 'assistant', content: 'from B', createdAt: 5 });
    stored.updatedAt = 50;
    adoptStored(live, stored, from);
    expect(live.title).toBe('Theirs');
    expect(live.settings.temperature).toBe(0);
    expect(live.updatedAt).toBe(50);
    expect(live.messages.map((m) => m.id)).toEqual(['x-q', 'theirs', 'mine']);
    expect(live.messages[2]).toBe(mine);
  });

  it('updates a message in place when only the other tab changed it', () => {
    const from = withQuestion('y');
    from.messages.push({ id: 'r', role: 'assistant', content: 'Hel', createdAt: 3 });
    const live = structuredClone(from);
    const reply = live.messages[1]!;
    const stored = structuredClone(from);
    stored.messages[1]!.content = 'Hello there';
    adoptStored(live, stored, from);
    expect(live.messages[1]).toBe(reply);
    expect(reply.content).toBe('Hello there');
  });
});
