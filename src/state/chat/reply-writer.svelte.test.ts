import 'fake-indexeddb/auto';
import { beforeAll, describe, expect, it } from 'vitest';
import { FakeEngine } from '../../lib/engine/testing/fake-engine';
import { ConversationsState } from './conversations.svelte';
import type { EngineState } from '../engine/engine.svelte';
import { ReplyWriterState } from './reply-writer.svelte';
import type { ReplyTarget } from './reply-target';
import { installPageGlobals } from '../testing/page-globals';
import type { TitleWriter } from './titles';

beforeAll(() => void installPageGlobals());

/** A conversation with one user message, ready for its reply. */
async function asked(): Promise<{ store: ConversationsState; conversation: ConversationsState['active'] & object }> {
  const store = new ConversationsState();
  await store.start();
  const conversation = store.active!;
  conversation.messages.push({ id: 'q', role: 'user', content: 'What is Nook?', createdAt: 1 });
  return { store, conversation };
}

const target = (engine: FakeEngine, { now = true } = {}): ReplyTarget => ({
  model: { name: 'Fake', contextLength: 4096 },
  modelId: 'fake',
  engine: now ? () => engine : async () => engine,
});

// ReplyWriterState reads EngineState only when a reply fails; these replies do not.
const noEngineState = {} as EngineState;

describe('ReplyWriterState (FakeEngine, fake-indexeddb)', () => {
  it('posts the request to the local engine before the page gets a turn to draw or save', async () => {
    const { store, conversation } = await asked();
    const engine = new FakeEngine();
    const writer = new ReplyWriterState(noEngineState, store, undefined, () => undefined);
    const writing = writer.write(conversation, target(engine));
    // Nothing has been awaited yet: no microtask (Svelte's DOM update among them) ran before it.
    expect(engine.log).toEqual(['chat']);
    await writing;
    expect(conversation.messages.at(-1)?.content).toContain('Nook runs entirely on your device');
    expect(conversation.messages.at(-1)?.stats?.finishReason).toBeDefined();
  });

  it('waits for a title being written to give the engine up first', async () => {
    const { store, conversation } = await asked();
    const engine = new FakeEngine();
    let release: () => void = () => undefined;
    const titles = {
      writing: true,
      yieldEngine: () => new Promise<void>((resolve) => (release = resolve)),
    } as unknown as TitleWriter;
    const writer = new ReplyWriterState(noEngineState, store, titles, () => undefined);
    const writing = writer.write(conversation, target(engine));
    await Promise.resolve();
    expect(engine.log).toEqual([]);
    release();
    await writing;
    expect(engine.log).toEqual(['chat']);
  });

  it('finds a server engine by waiting for it', async () => {
    const { store, conversation } = await asked();
    const engine = new FakeEngine();
    const writer = new ReplyWriterState(noEngineState, store, undefined, () => undefined);
    const writing = writer.write(conversation, target(engine, { now: false }));
    expect(engine.log).toEqual([]);
    await writing;
    expect(engine.log).toEqual(['chat']);
  });
});
