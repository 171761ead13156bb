import { describe, expect, it } from 'vitest';
import { newConversation, type Conversation } from './conversation';
import { conversationToMarkdown, exportToJson, parseImport, withFreshIds } from './transfer';

function sample(id: string): Conversation {
  const conversation = newConversation(id, 1_700_000_000_000);
  conversation.title = 'Trip plans';
  conversation.modelId = 'model-1';
  conversation.messages = [
    { id: `${id}-u`, role: 'user', content: 'Where to go?\n\n```js\nx()\n```', createdAt: 1 },
    {
      id: `${id}-a`,
      role: 'assistant',
      content: 'Somewhere *nice*.',
      createdAt: 2,
      author: { name: 'Tiny', backend: 'wllama', device: 'cpu' },
      stats: {
        promptTokens: 3,
        completionTokens: 4,
        timeToFirstTokenMs: 5,
        tokensPerSecond: 6,
        prefillTokensPerSecond: 70,
        finishReason: 'stop',
      },
    },
  ];
  return conversation;
}

const envelope = (conversations: unknown[]) =>
  JSON.stringify({ format: 'nook-conversations', version: 1, exportedAt: 'x', conversations });

/** A reasoning model's reply: its thinking apart from its answer, its thinking tokens in the stats. */
function thoughtful(id: string): Conversation {
  const conversation = sample(id);
  const reply = conversation.messages[1]!;
  reply.thinking = { text: 'They want a trip. Suggest the sea.', ms: 1200 };
  reply.steps = [
    { id: 'c1', name: 'calculator', arguments: '{"expression":"2*3"}', result: '6' },
    { id: 'c2', name: 'date_time', arguments: '{}', error: 'No operation.' },
  ];
  conversation.toolsOff = true;
  reply.stats = { ...reply.stats!, completionTokens: 12, thinkingTokens: 8, thinkingMs: 1200, cachedPromptTokens: 2 };
  conversation.settings = { ...conversation.settings, think: false, thinkingBudget: 256 };
  return conversation;
}

describe('JSON export and import', () => {
  it('round-trips losslessly', () => {
    const conversations = [sample('a'), sample('b'), thoughtful('c')];
    const parsed = parseImport(exportToJson(conversations, new Date(0)));
    expect(parsed).toEqual({ ok: true, value: conversations });
  });

  it("exports a reply's thinking as its own field, never in the answer, and the Markdown leaves it out", () => {
    const conversation = thoughtful('t');
    const exported = JSON.parse(exportToJson([conversation], new Date(0))) as {
      conversations: { messages: { content: string; thinking?: { text: string } }[] }[];
    };
    const reply = exported.conversations[0]!.messages[1]!;
    expect(reply.content).toBe('Somewhere *nice*.');
    expect(reply.thinking?.text).toBe('They want a trip. Suggest the sea.');
    const markdown = conversationToMarkdown(conversation);
    expect(markdown).toContain('Somewhere *nice*.');
    expect(markdown).not.toContain('Suggest the sea');
    expect(markdown).toContain('> Used calculator ({"expression":"2*3"}): 6');
  });

  it("keeps the facts a reply was given and the model's offers through an export, and the Markdown names the facts", () => {
    const conversation = sample('m');
    const reply = conversation.messages[1]!;
    reply.remembered = [{ id: 'f1', text: 'My sister is called Ana.' }];
    reply.proposals = [{ text: 'The user likes the sea.', answer: 'declined' }, { text: 'Ana lives in Lyon.' }];
    expect(parseImport(exportToJson([conversation], new Date(0)))).toEqual({ ok: true, value: [conversation] });
    expect(conversationToMarkdown(conversation)).toContain('> Remembered: My sister is called Ana.');
    const bad = JSON.parse(exportToJson([conversation], new Date(0))) as {
      conversations: { messages: { proposals: { answer: unknown }[] }[] }[];
    };
    bad.conversations[0]!.messages[1]!.proposals[0]!.answer = 'maybe';
    expect(parseImport(JSON.stringify(bad))).toEqual({
      ok: false,
      reason: 'Conversation 1, message 2, has malformed memory proposals.',
    });
  });

  it('refuses malformed thinking, and a Think switch that is not a switch', () => {
    const bad = JSON.parse(exportToJson([thoughtful('x')], new Date(0))) as {
      conversations: { messages: Record<string, unknown>[]; settings: Record<string, unknown> }[];
    };
    const [conversation] = bad.conversations;
    conversation!.messages[1]!.thinking = { text: 42 };
    expect(parseImport(JSON.stringify(bad))).toMatchObject({ ok: false, reason: expect.stringMatching(/thinking/) });
    conversation!.messages[1]!.thinking = { text: 'ok', ms: 1 };
    conversation!.settings.think = 'no';
    expect(parseImport(JSON.stringify(bad))).toMatchObject({ ok: false, reason: expect.stringMatching(/settings/) });
  });

  it('refuses malformed files with a reason', () => {
    const cases: [string, RegExp][] = [
      ['{not json', /not valid JSON/],
      ['[]', /not a Nook conversation export/],
      [JSON.stringify({ format: 'other' }), /not a Nook conversation export/],
      [JSON.stringify({ format: 'nook-conversations', version: 9, conversations: [] }), /version 9/],
      [JSON.stringify({ format: 'nook-conversations', version: 1 }), /no conversation list/],
      [envelope([]), /no conversations/],
      [envelope([sample('a'), 'nope']), /Conversation 2 is not a conversation record/],
      [envelope([{ ...sample('a'), schemaVersion: 7 }]), /Conversation 1 comes from a newer version/],
      [envelope([{ ...sample('a'), id: 5 }]), /Conversation 1 has no id/],
      [envelope([{ ...sample('a'), settings: { temperature: -1, topP: 1, maxTokens: 10 } }]), /settings/],
      [envelope([{ ...sample('a'), settings: { temperature: 'hot', topP: 1, maxTokens: 10 } }]), /settings/],
      [
        envelope([{ ...sample('a'), messages: [{ id: 'm', role: 'system', content: 'x', createdAt: 1 }] }]),
        /role "system"/,
      ],
      [
        envelope([{ ...sample('a'), messages: [{ id: 'm', role: 'user', content: 42, createdAt: 1 }] }]),
        /message 1, has no text/,
      ],
      [envelope([{ ...sample('a'), messages: 'none' }]), /no message list/],
      [
        envelope([{ ...sample('a'), messages: [{ ...sample('a').messages[1], stats: { tokensPerSecond: 'fast' } }] }]),
        /malformed reply statistics/,
      ],
      [
        envelope([
          {
            ...sample('a'),
            messages: [
              { ...sample('a').messages[1], stats: { ...sample('a').messages[1]!.stats, prefillTokensPerSecond: '9' } },
            ],
          },
        ]),
        /malformed reply statistics/,
      ],
    ];
    for (const [text, reason] of cases) {
      const result = parseImport(text);
      expect(result.ok, text).toBe(false);
      if (!result.ok) expect(result.reason).toMatch(reason);
    }
  });

  it('drops unknown fields instead of storing them', () => {
    const parsed = parseImport(envelope([{ ...sample('a'), evil: '<script>' }]));
    expect(parsed.ok && 'evil' in parsed.value[0]!).toBe(false);
  });
});

describe('withFreshIds', () => {
  it('renames only clashing ids, including clashes inside the file', () => {
    let n = 0;
    const result = withFreshIds([sample('a'), sample('b'), sample('b')], new Set(['a']), () => `new-${++n}`);
    expect(result.map((c) => c.id)).toEqual(['new-1', 'b', 'new-2']);
    expect(result[0]!.messages).toEqual(sample('a').messages);
  });
});

describe('Markdown export', () => {
  it('is readable: title, roles and text', () => {
    const markdown = conversationToMarkdown(sample('a'));
    expect(markdown).toMatch(/^# Trip plans\n/);
    expect(markdown).toContain('## You\n\nWhere to go?');
    expect(markdown).toContain('## Nook\n\nSomewhere *nice*.');
  });
});

describe('documents in an export', () => {
  function grounded(): Conversation {
    const conversation = sample('g');
    conversation.attachments = [{ documentId: 'doc-1', name: 'show.md' }];
    conversation.messages[1]!.sources = [
      {
        number: 1,
        documentId: 'doc-1',
        documentName: 'show.md',
        passage: 4,
        heading: 'Preserves',
        text: 'The marmalade prize\nwent to Edith.',
        clipped: true,
      },
    ];
    conversation.messages[1]!.unseenBefore = 0;
    return conversation;
  }

  it('keeps the attachments, every reply’s sources and what its prompt left out through a JSON round trip', () => {
    const parsed = parseImport(exportToJson([grounded()], new Date(0)));
    expect(parsed).toEqual({ ok: true, value: [grounded()] });
  });

  it('lists the attached documents and, under each reply, the sources it used, quoted', () => {
    const markdown = conversationToMarkdown(grounded());
    expect(markdown).toContain('Attached documents: show.md');
    expect(markdown).toContain(
      'Somewhere *nice*.\n\nSources:\n\n1. show.md — Preserves, passage 5\n   > The marmalade prize went to Edith.…',
    );
  });

  it('refuses malformed sources and attachments with the reason', () => {
    const badSource = grounded();
    (badSource.messages[1]!.sources![0] as { passage: unknown }).passage = 'four';
    expect(parseImport(envelope([badSource]))).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/malformed sources/),
    });
    const badAttachment = { ...grounded(), attachments: [{ documentId: 7 }] };
    expect(parseImport(envelope([badAttachment]))).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/malformed list of attached documents/),
    });
  });
});
