import 'fake-indexeddb/auto';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConversationsState } from '../chat/conversations.svelte';
import { installPageGlobals } from '../testing/page-globals';
import { AssistantsState } from './assistants.svelte';

beforeAll(() => void installPageGlobals());

async function setUp() {
  const conversations = new ConversationsState();
  await conversations.start();
  const assistants = new AssistantsState(conversations);
  await assistants.start();
  for (const mine of assistants.mine) await assistants.remove(mine.id);
  return { conversations, assistants };
}

describe('AssistantsState (fake-indexeddb)', () => {
  it('saves a conversation’s set-up, starts a new conversation with it, and keeps it for the next start', async () => {
    const { conversations, assistants } = await setUp();
    const conversation = conversations.active!;
    conversation.systemPrompt = 'Answer like a pirate.';
    conversation.settings = { ...conversation.settings, maxTokens: 8 };
    expect(await assistants.saveFrom(conversation, '  ')).toEqual({ ok: false, reason: 'An assistant needs a name.' });
    const saved = await assistants.saveFrom(conversation, 'Pirate');
    expect(saved.ok).toBe(true);

    conversation.messages.push({ id: 'm', role: 'user', content: 'Hi', createdAt: 1 });
    conversations.create();
    const pirate = assistants.mine[0]!;
    expect(assistants.use(pirate.id)).toBe(true);
    expect(conversations.active).toMatchObject({
      systemPrompt: 'Answer like a pirate.',
      settings: { maxTokens: 8 },
      assistant: { id: pirate.id, name: 'Pirate' },
    });

    const again = new AssistantsState(conversations);
    await again.start();
    expect(again.mine.map((a) => a.name)).toEqual(['Pirate']);
  });

  it('imports all of a file or nothing, never replacing an assistant already there', async () => {
    const { assistants } = await setUp();
    const made = await assistants.save({
      name: 'Reviewer',
      description: 'Finds problems.',
      systemPrompt: 'Review it.',
      settings: { temperature: 0.4, topP: 0.9, maxTokens: 300 },
      toolsOff: true,
    });
    expect(made.ok && made.assistant.toolsOff).toBe(true);
    const file = assistants.exported();
    const broken = file.replace('"Reviewer"', '""');
    expect(await assistants.import(broken)).toEqual({ ok: false, reason: 'Assistant 1: An assistant needs a name.' });
    expect(assistants.mine).toHaveLength(1);

    expect(await assistants.import(file)).toEqual({ ok: true, count: 1 });
    expect(assistants.mine.map((a) => a.name)).toEqual(['Reviewer', 'Reviewer']);
    expect(new Set(assistants.mine.map((a) => a.id)).size).toBe(2); // a fresh id, the first untouched
  });
});
