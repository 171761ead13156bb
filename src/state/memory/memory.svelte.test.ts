import 'fake-indexeddb/auto';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeEngine } from '../../lib/engine/testing/fake-engine';
import { ConversationsState } from '../chat/conversations.svelte';
import type { EngineState } from '../engine/engine.svelte';
import { ReplyWriterState } from '../chat/reply-writer.svelte';
import type { ReplyTarget } from '../chat/reply-target';
import { ChatState } from '../chat/chat.svelte';
import { installPageGlobals } from '../testing/page-globals';
import { MemoryState } from './memory.svelte';

const local = new Map<string, string>();
beforeAll(() => {
  installPageGlobals();
  Object.assign(globalThis, {
    localStorage: {
      getItem: (k: string) => local.get(k) ?? null,
      setItem: (k: string, v: string) => local.set(k, v),
      removeItem: (k: string) => local.delete(k),
    },
  });
});

async function freshMemory(): Promise<MemoryState> {
  const memory = new MemoryState();
  await memory.load();
  for (const fact of memory.list) await memory.forget(fact.id);
  return memory;
}
beforeEach(() => local.clear());

const target = (engine: FakeEngine): ReplyTarget => ({
  model: { name: 'Fake', contextLength: 4096 },
  modelId: 'fake',
  engine: () => engine,
});

async function asked(text: string) {
  const store = new ConversationsState();
  await store.start();
  const conversation = store.active!;
  conversation.messages.push({ id: crypto.randomUUID(), role: 'user', content: text, createdAt: Date.now() });
  return { store, conversation };
}

describe('MemoryState (fake-indexeddb)', () => {
  it('remembers, edits and forgets facts, kept for the next tab; refuses an empty one', async () => {
    const memory = await freshMemory();
    const kept = await memory.remember(' My sister is called Ana. ', { conversationId: 'c', messageId: 'm' });
    expect(kept.ok).toBe(true);
    expect(await memory.remember('   ')).toEqual({
      ok: false,
      reason: 'There is nothing to remember: the text is empty.',
    });
    const again = new MemoryState();
    await again.load();
    expect(again.list.map((m) => [m.text, m.from])).toEqual([
      ['My sister is called Ana.', { conversationId: 'c', messageId: 'm' }],
    ]);
    const id = again.list[0]!.id;
    expect((await again.edit(id, 'My sister Ana lives in Lyon.')).ok).toBe(true);
    expect((await again.edit(id, '')).ok).toBe(false);
    const third = new MemoryState();
    await third.load();
    expect(third.list[0]!.text).toBe('My sister Ana lives in Lyon.');
    await third.forget(id);
    const fourth = new MemoryState();
    await fourth.load();
    expect(fourth.list).toEqual([]);
  });

  it('gives a reply its facts in the user’s turn and saves which; none when memory is off', async () => {
    const memory = await freshMemory();
    await memory.remember('My sister is called Ana.');
    const engine = new FakeEngine();
    const { store, conversation } = await asked('Ideas for my sister?');
    const writer = new ReplyWriterState({} as EngineState, store, undefined, () => undefined, undefined, memory);
    await writer.write(conversation, target(engine));
    expect(engine.calls[0]!.prompt).toContain('- My sister is called Ana.\n\nIdeas for my sister?');
    expect(conversation.messages.at(-1)!.remembered?.map((f) => f.text)).toEqual(['My sister is called Ana.']);
    // The message itself is kept as the user wrote it.
    expect(conversation.messages.at(-2)!.content).toBe('Ideas for my sister?');

    memory.setEnabled(false);
    expect(new MemoryState().enabled).toBe(false); // the choice is kept on this device
    conversation.messages.push({ id: 'q2', role: 'user', content: 'And for my brother?', createdAt: Date.now() });
    await writer.write(conversation, target(engine));
    expect(engine.calls[1]!.prompt).not.toContain('Ana');
    expect(conversation.messages.at(-1)!.remembered).toBeUndefined();
  });

  it('stores a fact the model offered only when the user accepts it', async () => {
    const memory = await freshMemory();
    const store = new ConversationsState();
    await store.start();
    const chat = new ChatState({} as EngineState, store, undefined, undefined, undefined, memory);
    store.create();
    const conversation = store.active!;
    conversation.messages.push(
      { id: 'q', role: 'user', content: 'My sister is called Ana.', createdAt: 1 },
      {
        id: 'a',
        role: 'assistant',
        content: 'Nice name!',
        createdAt: 2,
        proposals: [{ text: 'The user’s sister is called Ana.' }, { text: 'The user likes names.' }],
      },
    );
    await chat.answerProposal('a', 1, false);
    expect(memory.list).toEqual([]);
    await chat.answerProposal('a', 0, true);
    expect(memory.list.map((m) => m.text)).toEqual(['The user’s sister is called Ana.']);
    const proposals = conversation.messages.find((m) => m.id === 'a')!.proposals!;
    expect(proposals[0]!.answer).toEqual({ remembered: memory.list[0]!.id });
    expect(proposals[1]!.answer).toBe('declined');
    // An answered offer is not asked again.
    await chat.answerProposal('a', 1, true);
    expect(memory.list).toHaveLength(1);
  });
});
