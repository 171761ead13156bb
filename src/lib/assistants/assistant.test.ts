import { describe, expect, it } from 'vitest';
import { newConversation } from '../chat/conversation';
import { checkConversation } from '../chat/validate';
import {
  applyAssistant,
  BUILT_IN,
  checkAssistant,
  exportAssistants,
  fromConversation,
  parseAssistants,
  type Assistant,
} from './assistant';

function madeFromAConversation(): Assistant {
  const conversation = newConversation('c', 1);
  conversation.systemPrompt = 'You are a pirate.';
  conversation.settings = { temperature: 0.2, topP: 0.9, maxTokens: 64, think: false };
  conversation.modelId = 'tiny';
  conversation.toolsOff = true;
  conversation.attachments = [{ documentId: 'd1', name: 'Map.md' }];
  return fromConversation(conversation, 'Pirate', 'a1', 5);
}

describe('assistants', () => {
  it('are made from a conversation’s set-up, and start another one the same way', () => {
    const assistant = madeFromAConversation();
    expect(assistant).toMatchObject({
      id: 'a1',
      name: 'Pirate',
      systemPrompt: 'You are a pirate.',
      settings: { temperature: 0.2, topP: 0.9, maxTokens: 64, think: false },
      modelId: 'tiny',
      toolsOff: true,
      attachments: [{ documentId: 'd1', name: 'Map.md' }],
    });
    const next = newConversation('n', 10);
    next.server = { serverId: 's', modelId: 'big' };
    applyAssistant(next, assistant);
    expect(next).toMatchObject({
      systemPrompt: 'You are a pirate.',
      settings: assistant.settings,
      modelId: 'tiny',
      toolsOff: true,
      attachments: [{ documentId: 'd1', name: 'Map.md' }],
      assistant: { id: 'a1', name: 'Pirate' },
    });
    expect(next.server).toBeUndefined(); // the assistant runs on this device
    // Its own copies: changing the conversation leaves the assistant as it was.
    next.settings.maxTokens = 9;
    expect(assistant.settings.maxTokens).toBe(64);
    expect(checkConversation(JSON.parse(JSON.stringify(next)))).toEqual({ ok: true, value: next });
  });

  it('ship a few of Nook’s own, each a valid set-up', () => {
    expect(BUILT_IN.map((a) => a.name)).toContain('Translator to French');
    for (const assistant of BUILT_IN) {
      expect(assistant.builtIn).toBe(true);
      expect(checkAssistant({ ...assistant, id: 'copy' }).ok).toBe(true);
    }
  });

  it('go out in a file of the user’s own and come back the same; a bad file is refused with the reason', () => {
    const mine = madeFromAConversation();
    const text = exportAssistants([BUILT_IN[0]!, mine], 0);
    expect(JSON.parse(text).assistants).toHaveLength(1);
    expect(parseAssistants(text)).toEqual({ ok: true, value: [mine] });

    const file = (assistants: unknown[], extra = {}) =>
      JSON.stringify({ format: 'nook-assistants', version: 1, assistants, ...extra });
    expect(parseAssistants('{')).toEqual({ ok: false, reason: 'The file is not valid JSON.' });
    expect(parseAssistants('{"format":"nook-conversations"}')).toEqual({
      ok: false,
      reason: 'The file is not a Nook assistants file.',
    });
    expect(parseAssistants(file([mine], { version: 2 }))).toEqual({
      ok: false,
      reason: 'The file has version 2; this Nook reads version 1.',
    });
    expect(parseAssistants(file([]))).toEqual({ ok: false, reason: 'The file holds no assistants.' });
    expect(parseAssistants(file([mine, { ...mine, name: ' ' }]))).toEqual({
      ok: false,
      reason: 'Assistant 2: An assistant needs a name.',
    });
    expect(parseAssistants(file([{ ...mine, settings: { temperature: 9, topP: 1, maxTokens: 5 } }]))).toEqual({
      ok: false,
      reason: 'Assistant 1 has generation settings that are missing or out of range.',
    });
    expect(parseAssistants(file([{ ...mine, id: 'built-in:concise' }]))).toEqual({
      ok: false,
      reason: 'Assistant 1 has no id of its own.',
    });
  });
});
