import { describe, expect, it } from 'vitest';
import type { Conversation, StoredMessage } from './conversation';
import { newConversation } from './conversation';
import { mergeConversation } from './merge';
import { checkConversation } from './validate';
import {
  applyTree,
  branchFrom,
  continuePath,
  deleteMessage,
  showVersion,
  treeFromNodes,
  treeNodes,
  versionPlaces,
  type MessageTree,
} from './versions';

let clock = 0;
const message = (id: string, role: StoredMessage['role'] = 'assistant'): StoredMessage => ({
  id,
  role,
  content: `text of ${id}`,
  createdAt: ++clock,
});
const user = (id: string) => message(id, 'user');
const ids = (tree: MessageTree) => tree.messages.map((m) => m.id);
const place = (tree: MessageTree, id: string) => versionPlaces(tree).get(id);

/** What ChatState does: a new version at `index` (the old path from there kept as a branch). */
function newVersion(tree: MessageTree, index: number, version: StoredMessage, now = ++clock): MessageTree {
  const branched = branchFrom(tree, index, now);
  return { ...branched, messages: [...branched.messages, version] };
}

/** u1 a1 u2 a2, then a2 regenerated twice (a2b, a2c) and u2 edited (u2b, answered a2d). */
function historyWithVersions() {
  clock = 0;
  let tree: MessageTree = { messages: [user('u1'), message('a1'), user('u2'), message('a2')] };
  tree = newVersion(tree, 3, message('a2b'));
  tree = newVersion(tree, 3, message('a2c'));
  tree = newVersion(tree, 2, user('u2b'));
  tree = { ...tree, messages: [...tree.messages, message('a2d')] };
  return tree;
}

describe('versions of messages', () => {
  it('keeps every regenerated reply and edited message as a version, reachable with ‹ ›', () => {
    let tree = historyWithVersions();
    expect(ids(tree)).toEqual(['u1', 'a1', 'u2b', 'a2d']);
    expect(place(tree, 'u2b')).toEqual({ number: 2, count: 2 });
    expect(place(tree, 'a2d')).toBeUndefined(); // the edited message's only reply
    expect(place(tree, 'u1')).toBeUndefined();

    // Back to the first version of the message: its replies follow, the last one shown.
    tree = showVersion(tree, 'u2b', -1, ++clock)!;
    expect(ids(tree)).toEqual(['u1', 'a1', 'u2', 'a2c']);
    expect(place(tree, 'u2')).toEqual({ number: 1, count: 2 });
    expect(place(tree, 'a2c')).toEqual({ number: 3, count: 3 });
    tree = showVersion(tree, 'a2c', -1, ++clock)!;
    tree = showVersion(tree, 'a2b', -1, ++clock)!;
    expect(ids(tree)).toEqual(['u1', 'a1', 'u2', 'a2']);
    expect(place(tree, 'a2')).toEqual({ number: 1, count: 3 });
    expect(showVersion(tree, 'a2', -1)).toBeUndefined(); // there is none before the first

    // Forward to the edit and back again: the reply chosen under u2 (a2, the first) is remembered.
    tree = showVersion(tree, 'u2', 1, ++clock)!;
    expect(ids(tree)).toEqual(['u1', 'a1', 'u2b', 'a2d']);
    tree = showVersion(tree, 'u2b', -1, ++clock)!;
    expect(ids(tree)).toEqual(['u1', 'a1', 'u2', 'a2']);
    expect(showVersion(tree, 'u2b', 1)).toBeUndefined(); // not on the path

    // Nothing was lost on the way: every message is stored once.
    const all = treeNodes(tree).map((m) => m.id);
    expect([...all].sort()).toEqual(['a1', 'a2', 'a2b', 'a2c', 'a2d', 'u1', 'u2', 'u2b']);
    expect(tree.messages.every((m) => !('parentId' in m))).toBe(true);
  });

  it('shows the old reply again when the new version never came', () => {
    clock = 0;
    const tree: MessageTree = { messages: [user('u1'), message('a1')] };
    const withdrawn = branchFrom(tree, 1); // the regenerated reply was taken back
    expect(ids(withdrawn)).toEqual(['u1']);
    const shown = continuePath(withdrawn);
    expect(ids(shown)).toEqual(['u1', 'a1']);
    expect(shown.branches).toBeUndefined();
  });

  it('deletes a message without versions alone, and a version with what followed it', () => {
    let tree = historyWithVersions();
    tree = showVersion(tree, 'u2b', -1)!; // u1 a1 u2 a2c
    // A version goes with what it led to; the version shown last of the others takes its place.
    tree = deleteMessage(tree, 'u2', ++clock);
    expect(ids(tree)).toEqual(['u1', 'a1', 'u2b', 'a2d']);
    expect(treeNodes(tree).some((m) => m.id.startsWith('a2') && m.id !== 'a2d')).toBe(false);
    expect(place(tree, 'u2b')).toBeUndefined();
    expect(tree.branches).toBeUndefined();

    // One without versions goes alone; what followed it stays.
    tree = deleteMessage(tree, 'a1');
    expect(ids(tree)).toEqual(['u1', 'u2b', 'a2d']);
  });

  it("keeps a deleted message's other versions' followers in the tree", () => {
    clock = 0;
    let tree: MessageTree = { messages: [user('u1'), message('a1'), user('u2')] };
    tree = newVersion(tree, 1, message('a1b')); // u1 a1b; a1 (with u2 after it) is a version
    tree = showVersion(tree, 'a1b', -1)!; // u1 a1 u2
    tree = deleteMessage(tree, 'u2'); // no versions: alone
    expect(ids(tree)).toEqual(['u1', 'a1']);
    expect(place(tree, 'a1')).toEqual({ number: 1, count: 2 });
  });

  it('goes from nodes back to the same tree, and puts it into a conversation', () => {
    const tree = historyWithVersions();
    const back = treeFromNodes(treeNodes(tree), 'a2d');
    expect(ids(back)).toEqual(ids(tree));
    expect(versionPlaces(back)).toEqual(versionPlaces(tree));
    const conversation = newConversation('c', 0);
    applyTree(conversation, tree);
    expect(conversation.branches).toHaveLength(4);
    applyTree(conversation, { messages: [] });
    expect('branches' in conversation).toBe(false);
  });
});

describe('versions across tabs and on import', () => {
  const conversationWith = (tree: MessageTree): Conversation => {
    const conversation = newConversation('c', 0);
    applyTree(conversation, structuredClone(tree));
    return conversation;
  };

  it('keeps a version picked in one tab and a reply written in the other', () => {
    const base = conversationWith(historyWithVersions()); // u1 a1 u2b a2d
    const ours = conversationWith(showVersion(base, 'u2b', -1)!); // picked u2 (a2c)
    const theirs = conversationWith({ ...base, messages: [...base.messages, user('u3'), message('a3')] });
    const merged = mergeConversation(base, ours, theirs);
    expect(ids(merged)).toEqual(['u1', 'a1', 'u2', 'a2c']);
    // Their new messages follow the version they were written after.
    const back = showVersion(merged, 'u2', 1)!;
    expect(ids(back)).toEqual(['u1', 'a1', 'u2b', 'a2d', 'u3', 'a3']);
  });

  it('makes two tabs’ different next messages versions of each other, this tab’s shown', () => {
    clock = 0;
    const base = conversationWith({ messages: [user('u1'), message('a1')] });
    const ours = conversationWith({ messages: [...base.messages, user('u2')] });
    const theirs = conversationWith({ messages: [...base.messages, user('u2-there'), message('a2-there')] });
    const merged = mergeConversation(base, ours, theirs);
    expect(ids(merged)).toEqual(['u1', 'a1', 'u2']);
    expect(place(merged, 'u2')).toEqual({ number: 1, count: 2 }); // written first
    expect(ids(showVersion(merged, 'u2', 1)!)).toEqual(['u1', 'a1', 'u2-there', 'a2-there']);
  });

  it('takes the other tab’s pick when this tab did not move, and its streaming reply', () => {
    const base = conversationWith(historyWithVersions());
    const theirs = conversationWith(showVersion(base, 'u2b', -1)!);
    const ours = conversationWith(base);
    ours.messages.at(-1)!.content += ' and more';
    const merged = mergeConversation(base, ours, theirs);
    expect(ids(merged)).toEqual(['u1', 'a1', 'u2', 'a2c']);
    expect(showVersion(merged, 'u2', 1)!.messages.at(-1)!.content).toBe('text of a2d and more');
  });

  it('lets a message whose parent the other tab deleted follow that parent’s parent', () => {
    clock = 0;
    const base = conversationWith({ messages: [user('u1'), message('a1')] });
    const ours = conversationWith(newVersion(base, 1, message('a1b'))); // a1 kept as a version
    const oursThen = conversationWith({ messages: [...ours.messages, user('u2')], branches: ours.branches });
    const theirs = conversationWith(deleteMessage(base, 'a1'));
    const merged = mergeConversation(base, oursThen, theirs);
    expect(ids(merged)).toEqual(['u1', 'a1b', 'u2']);
    expect(checkConversation(merged).ok).toBe(true);
  });

  it('reads the tree back from an export, and refuses branches that lead nowhere', () => {
    const conversation = conversationWith(historyWithVersions());
    const json = JSON.parse(JSON.stringify(conversation)) as Conversation;
    const checked = checkConversation(json);
    expect(checked).toEqual({ ok: true, value: conversation });

    const broken = (change: (c: Conversation) => void) => {
      const copy = structuredClone(conversation);
      change(copy);
      const result = checkConversation(copy);
      return result.ok ? 'accepted' : result.reason;
    };
    expect(broken((c) => (c.branches![0]!.parentId = 'nowhere'))).toBe(
      'The conversation, other version 1, follows a message that is not there.',
    );
    expect(
      broken((c) => {
        c.branches![0]!.parentId = c.branches![1]!.id;
        c.branches![1]!.parentId = c.branches![0]!.id;
      }),
    ).toMatch(/follows a message that is not there/);
    expect(broken((c) => (c.branches![0]!.id = 'u1'))).toBe(
      'The conversation, other version 1, has the id of another message.',
    );
    expect(broken((c) => ((c.branches![0] as { parentId?: unknown }).parentId = 5))).toBe(
      'The conversation, other version 1, does not say which message it follows.',
    );
    expect(broken((c) => ((c as { branches?: unknown }).branches = 'x'))).toBe(
      'The conversation has other versions that are not a list.',
    );
  });
});
