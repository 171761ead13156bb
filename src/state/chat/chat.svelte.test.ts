import 'fake-indexeddb/auto';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SYSTEM_PROMPT } from '../../lib/chat/conversation';
import type { ChatMessage, LoadedModelInfo } from '../../lib/engine/types';
import { ChatState } from './chat.svelte';
import { ConversationsState } from './conversations.svelte';
import type { EngineState } from '../engine/engine.svelte';
import { installPageGlobals } from '../testing/page-globals';

beforeAll(() => void installPageGlobals());

/** The part of EngineState that reading ahead uses: a loaded model, and what it was asked to read. */
class FakeEngineState {
  loaded = $state<LoadedModelInfo | undefined>(undefined);
  readonly prepared: ChatMessage[][] = [];
  prepare(messages: ChatMessage[]): Promise<void> {
    this.prepared.push(messages);
    return Promise.resolve();
  }
}

const model: LoadedModelInfo = {
  modelId: 'fake',
  backend: 'wllama',
  device: 'cpu',
  threads: 2,
  contextLength: 4096,
  loadLog: [],
};

async function chatWith(engine: FakeEngineState) {
  const store = new ConversationsState();
  await store.start();
  return { store, chat: new ChatState(engine as unknown as EngineState, store) };
}

// What a load triggers (an effect in the page; the e2e chat test covers that link): the effects
// of runes modules do not run in these Node tests, so the tests call it as the effect does.
describe('ChatState reads the next prompt ahead', () => {
  it('has the loaded model read the open conversation up to the next message', async () => {
    const engine = new FakeEngineState();
    const { store, chat } = await chatWith(engine);
    store.active!.messages.push(
      { id: 'q', role: 'user', content: 'What is Nook?', createdAt: 1 },
      { id: 'a', role: 'assistant', content: 'A private assistant.', createdAt: 2 },
    );
    chat.prepareNextReply();
    expect(engine.prepared).toEqual([]);

    engine.loaded = model;
    chat.prepareNextReply();
    expect(engine.prepared).toEqual([
      [
        { role: 'system', content: DEFAULT_SYSTEM_PROMPT },
        { role: 'user', content: 'What is Nook?' },
        { role: 'assistant', content: 'A private assistant.' },
        { role: 'user', content: '' },
      ],
    ]);
  });

  it('reads nothing ahead for a conversation that runs on a server model', async () => {
    const engine = new FakeEngineState();
    const { store, chat } = await chatWith(engine);
    engine.loaded = model;
    store.active!.server = { serverId: 's', modelId: 'big' };
    chat.prepareNextReply();
    expect(engine.prepared).toEqual([]);
    delete store.active!.server;
    chat.prepareNextReply();
    expect(engine.prepared).toHaveLength(1);
  });
});

describe('ChatState with versions of messages', () => {
  it('prompts the next reply with the version shown only, and moves between versions', async () => {
    const engine = new FakeEngineState();
    const { store, chat } = await chatWith(engine);
    engine.loaded = model;
    const conversation = store.active!;
    conversation.messages.push(
      { id: 'q', role: 'user', content: 'What is Nook?', createdAt: 1 },
      { id: 'a2', role: 'assistant', content: 'The second answer.', createdAt: 3 },
    );
    conversation.branches = [
      { id: 'a1', role: 'assistant', content: 'The first answer.', createdAt: 2, parentId: 'q' },
    ];
    expect(chat.versions.get('a2')).toEqual({ number: 2, count: 2 });

    chat.showVersion('a2', -1);
    expect(chat.messages.map((m) => m.content)).toEqual(['What is Nook?', 'The first answer.']);
    expect(chat.versions.get('a1')).toEqual({ number: 1, count: 2 });
    chat.prepareNextReply();
    expect(engine.prepared.at(-1)!.map((m) => m.content)).toEqual([
      DEFAULT_SYSTEM_PROMPT,
      'What is Nook?',
      'The first answer.',
      '',
    ]);
    expect(conversation.branches?.map((m) => m.content)).toEqual(['The second answer.']);
  });
});
