import { describe, expect, it } from 'vitest';
import { newConversation, type Conversation, type StoredMessage } from './conversation';
import { mergeConversation, mergeMessages } from './merge';

const message = (id: string, createdAt: number, content = id): StoredMessage => ({
  id,
  role: createdAt % 2 ? 'assistant' : 'user',
  content,
  createdAt,
});

function conversation(messages: StoredMessage[], changes: Partial<Conversation> = {}): Conversation {
  return { ...newConversation('c', 1), messages, ...changes };
}

describe('mergeMessages', () => {
  const a = message('a', 10);
  const b = message('b', 11);

  it('keeps additions from both sides, in time order', () => {
    const c = message('c', 12);
    const d = message('d', 13);
    expect(mergeMessages([a], [a, d], [a, b, c]).map((m) => m.id)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('drops what either side deleted, unless this side changed it meanwhile', () => {
    expect(mergeMessages([a, b], [a, b], [b]).map((m) => m.id)).toEqual(['b']);
    expect(mergeMessages([a, b], [b], [a, b]).map((m) => m.id)).toEqual(['b']);
    const grown = { ...b, content: 'b, and more tokens' };
    expect(mergeMessages([a, b], [a, grown], [a])).toEqual([a, grown]);
  });

  it('takes the changed side of one message, ours when both changed it', () => {
    const theirs = { ...a, content: 'theirs' };
    expect(mergeMessages([a], [a], [theirs])).toEqual([theirs]);
    const ours = { ...a, content: 'ours' };
    expect(mergeMessages([a], [ours], [theirs])).toEqual([ours]);
  });
});

describe('mergeConversation', () => {
  const a = message('a', 10);

  it('keeps a rename made in another tab while this tab added a reply', () => {
    const base = conversation([a], { title: 'Old' });
    const ours = conversation([a, message('r', 11)], { title: 'Old', updatedAt: 20 });
    const theirs = conversation([a], { title: 'New name', updatedAt: 15 });
    const merged = mergeConversation(base, ours, theirs);
    expect(merged.title).toBe('New name');
    expect(merged.messages.map((m) => m.id)).toEqual(['a', 'r']);
    expect(merged.updatedAt).toBe(20);
  });

  it('keeps settings changed here and the system prompt changed there', () => {
    const base = conversation([a]);
    const ours = conversation([a], { settings: { ...base.settings, maxTokens: 20 } });
    const theirs = conversation([a], { systemPrompt: 'Be brief.' });
    const merged = mergeConversation(base, ours, theirs);
    expect(merged.settings.maxTokens).toBe(20);
    expect(merged.systemPrompt).toBe('Be brief.');
  });

  it('writes ours when nothing is stored (new, or deleted in the other tab meanwhile)', () => {
    const ours = conversation([a]);
    expect(mergeConversation(undefined, ours, undefined)).toBe(ours);
    expect(mergeConversation(conversation([]), ours, undefined)).toBe(ours);
  });

  it('without a base, keeps the stored messages it lacks, as other versions of its own', () => {
    const ours = conversation([a]);
    const theirs = conversation([message('x', 5)]);
    const merged = mergeConversation(undefined, ours, theirs);
    expect(merged.messages.map((m) => m.id)).toEqual(['a']);
    expect(merged.branches?.map((m) => [m.id, m.parentId])).toEqual([['x', null]]);
  });
});

describe('key order', () => {
  it('a message read back with its keys in another order is unchanged, so a deletion there holds', () => {
    const a = message('a', 10);
    const b = message('b', 11);
    const reordered = { createdAt: b.createdAt, content: b.content, role: b.role, id: b.id };
    expect(mergeMessages([a, reordered], [a, b], [a]).map((m) => m.id)).toEqual(['a']);
  });
});

describe('attached documents across tabs', () => {
  const show = { documentId: 'd1', name: 'show.md' };
  const tides = { documentId: 'd2', name: 'tides.html' };

  it('keeps a document attached in the other tab while this tab writes a reply, and a removal here', () => {
    const base = conversation([message('a', 10)], { attachments: [show] });
    const ours = conversation([message('a', 10), message('b', 11)], { attachments: [show] });
    const theirs = conversation([message('a', 10)], { attachments: [show, tides] });
    expect(mergeConversation(base, ours, theirs).attachments).toEqual([show, tides]);
    const removedHere = conversation([message('a', 10)], { attachments: [] });
    expect(mergeConversation(base, removedHere, theirs).attachments).toEqual([]);
  });

  it('keeps tools turned off in the other tab while this tab writes a reply, and a reply thought here', () => {
    const base = conversation([message('a', 10)]);
    const thought = { ...message('b', 11), thinking: { text: 'Hmm.', ms: 40 } };
    const ours = conversation([message('a', 10), thought]);
    const theirs = conversation([message('a', 10)], { toolsOff: true });
    const merged = mergeConversation(base, ours, theirs);
    expect(merged.toolsOff).toBe(true);
    expect(merged.messages.at(-1)).toEqual(thought);
    expect(mergeConversation(theirs, conversation([message('a', 10)]), theirs).toolsOff).toBeUndefined();
  });
});
