import 'fake-indexeddb/auto';
import { beforeAll, describe, expect, it } from 'vitest';
import { titleFromText } from '../../lib/chat/conversation';
import { FakeEngine } from '../../lib/engine/testing/fake-engine';
import type { ChatRequest, LoadedModelInfo, ModelAbilities } from '../../lib/engine/types';
import { ConversationsState } from './conversations.svelte';
import type { EngineState } from '../engine/engine.svelte';
import { TitleWriter } from './titles';
import { installPageGlobals } from '../testing/page-globals';

beforeAll(() => void installPageGlobals());

const LONG_FIRST_MESSAGE =
  'I am planning a week in Rome next spring with two children and would like a day-by-day plan.';

/** A title asked of a FakeEngine answering `reply`, for a model that can do `abilities`. */
async function titleFor(abilities: ModelAbilities, reply: string) {
  const store = new ConversationsState();
  await store.start();
  const conversation = store.active!;
  conversation.messages.push(
    { id: 'q', role: 'user', content: LONG_FIRST_MESSAGE, createdAt: 1 },
    { id: 'a', role: 'assistant', content: 'Day one: the Colosseum.', createdAt: 2 },
  );
  const requests: ChatRequest[] = [];
  const fake = new FakeEngine({ replyWords: [reply], beforeReply: (_call, request) => void requests.push(request) });
  const loaded = { modelId: 'm', name: 'M', contextLength: 4096, abilities } as LoadedModelInfo;
  const engine = { loaded, chat: fake.chat.bind(fake) } as unknown as EngineState;
  const writer = new TitleWriter(engine, store);
  // The title the first message gives is what a model title replaces.
  conversation.title = titleFromText(LONG_FIRST_MESSAGE);
  writer.suggest(conversation);
  await writer.yieldEngine().catch(() => undefined);
  return { request: requests[0] };
}

describe('TitleWriter (FakeEngine)', () => {
  it('holds a model made for tool calls to a JSON title, and asks a reasoning model not to think', async () => {
    const { request } = await titleFor({ tools: true, thinking: 'switchable' }, '{"title": "Rome with children"}');
    expect(request?.format?.schema).toMatchObject({ required: ['title'] });
    expect(request?.settings.think).toBe(false);
  });

  it('reads any other model’s title as text, with no schema asked', async () => {
    const { request } = await titleFor({}, 'Rome with children');
    expect(request).toBeDefined();
    expect(request?.format).toBeUndefined();
  });
});
