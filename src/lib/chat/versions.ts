/**
 * Versions of messages: a conversation is a tree, and what the chat shows is one path through it.
 * Regenerating a reply or editing a message starts a new version beside the old one, which stays
 * with everything that followed it; the user moves between versions ("‹ 2 / 3 ›") and the rest of
 * the conversation follows the version chosen.
 *
 * Stored as `messages`, the visible path (what every reader — the prompt, titles, summaries, the
 * Markdown export — reads, each message following the one before it), and `branches`: every other
 * message, each naming the message it follows. Each message is stored once. Versions of a message
 * are the messages that follow the same one, in the order they were written. Pure functions over
 * plain data; the merge of two tabs' trees is in merge.ts.
 */
import type { BranchMessage, Conversation, StoredMessage } from './conversation';

/** The part of a conversation this module reads and returns. */
export type MessageTree = Pick<Conversation, 'messages' | 'branches'>;

/** Where a message stands among its versions: `number` of `count`, 1-based. */
export interface VersionPlace {
  number: number;
  count: number;
}

/** A message as it is kept on the path: no parent (the message before it), no hidden time. */
function onPath(message: StoredMessage | BranchMessage): StoredMessage {
  if (!('parentId' in message)) return message;
  const kept: StoredMessage & Partial<Pick<BranchMessage, 'parentId' | 'hiddenAt'>> = { ...message };
  delete kept.parentId;
  delete kept.hiddenAt;
  return kept;
}

const parentOnPath = (path: readonly StoredMessage[], index: number): string | null => path[index - 1]?.id ?? null;

/** Branch messages by the message they follow. */
function byParent(branches: readonly BranchMessage[]): Map<string | null, BranchMessage[]> {
  const children = new Map<string | null, BranchMessage[]>();
  for (const message of branches) {
    const list = children.get(message.parentId);
    if (list) list.push(message);
    else children.set(message.parentId, [message]);
  }
  return children;
}

const byCreation = (a: StoredMessage, b: StoredMessage) => a.createdAt - b.createdAt;

/** Of a message's followers, the one shown last: hidden most recently, or (never hidden) the newest. */
const shownAt = (m: BranchMessage) => m.hiddenAt ?? m.createdAt;
const shownLast = (list: readonly BranchMessage[] | undefined): BranchMessage | undefined =>
  list?.reduce((best, m) => (shownAt(m) > shownAt(best) ? m : best));

/** The place of every message on the path that has other versions. */
export function versionPlaces(tree: MessageTree): Map<string, VersionPlace> {
  const places = new Map<string, VersionPlace>();
  const branches = tree.branches;
  if (!branches?.length) return places;
  const children = byParent(branches);
  tree.messages.forEach((message, index) => {
    const others = children.get(parentOnPath(tree.messages, index));
    if (!others) return;
    const versions = [message, ...others].sort(byCreation);
    places.set(message.id, { number: versions.indexOf(message) + 1, count: versions.length });
  });
  return places;
}

/** The path from `index` on, as branch messages (each naming its parent), hidden at `now`. */
function hide(path: readonly StoredMessage[], index: number, now: number): BranchMessage[] {
  return path
    .slice(index)
    .map((message, k) => ({ ...message, parentId: parentOnPath(path, index + k), hiddenAt: now }));
}

/**
 * From `first` down: at each message, the follower shown last (hidden most recently; one never
 * hidden, the newest). The rest of `branches` is what stays off the path.
 */
function descend(first: BranchMessage | undefined, branches: readonly BranchMessage[]): BranchMessage[] {
  const children = byParent(branches);
  const chain: BranchMessage[] = [];
  const seen = new Set<string>();
  for (let next = first; next && !seen.has(next.id); next = shownLast(children.get(next.id))) {
    seen.add(next.id);
    chain.push(next);
  }
  return chain;
}

const withBranches = (messages: StoredMessage[], branches: BranchMessage[]): MessageTree =>
  branches.length ? { messages, branches } : { messages };

function joined(
  path: StoredMessage[],
  chain: readonly BranchMessage[],
  branches: readonly BranchMessage[],
): MessageTree {
  const shown = new Set(chain.map((m) => m.id));
  const rest = branches.filter((m) => !shown.has(m.id));
  return withBranches([...path, ...chain.map(onPath)], rest);
}

/**
 * The path before `index`, the messages from `index` on kept as a branch: what a regenerated reply
 * or an edited message starts from (the new version then goes at `index`).
 */
export function branchFrom(tree: MessageTree, index: number, now = Date.now()): MessageTree {
  const branches = [...(tree.branches ?? []), ...hide(tree.messages, index, now)];
  return { messages: tree.messages.slice(0, index), branches };
}

/**
 * Shows the version `step` away (-1 the one before, 1 the one after) of the message `id` on the
 * path, with what followed it when it was last shown; undefined when there is none there.
 */
export function showVersion(tree: MessageTree, id: string, step: number, now = Date.now()): MessageTree | undefined {
  const index = tree.messages.findIndex((m) => m.id === id);
  const branches = tree.branches ?? [];
  if (index < 0 || !branches.length) return undefined;
  const parent = parentOnPath(tree.messages, index);
  const versions = [tree.messages[index]!, ...branches.filter((m) => m.parentId === parent)].sort(byCreation);
  const target = versions[versions.findIndex((m) => m.id === id) + step];
  if (!target || !('parentId' in target)) return undefined;
  const all = [...branches, ...hide(tree.messages, index, now)];
  return joined(tree.messages.slice(0, index), descend(target as BranchMessage, all), all);
}

/**
 * The path goes on where the branches go on from its last message (the follower shown last): a
 * regenerated reply that never came leaves the old one shown again; a merge whose chosen path
 * ends where another tab went on shows what it wrote.
 */
export function continuePath(tree: MessageTree): MessageTree {
  const branches = tree.branches ?? [];
  const last = tree.messages.at(-1)?.id ?? null;
  const followers = branches.filter((m) => m.parentId === last);
  if (!followers.length) return tree;
  return joined([...tree.messages], descend(shownLast(followers), branches), branches);
}

/** Puts `tree` into `conversation` (no `branches` field when there are none). */
export function applyTree(conversation: MessageTree, tree: MessageTree): void {
  conversation.messages = tree.messages;
  if (tree.branches?.length) conversation.branches = tree.branches;
  else delete conversation.branches;
}

/** Every message below `id` (its followers, theirs, …), `id` included. */
function subtree(id: string, branches: readonly BranchMessage[]): Set<string> {
  const children = byParent(branches);
  const found = new Set<string>();
  const stack = [id];
  while (stack.length) {
    const next = stack.pop()!;
    if (found.has(next)) continue;
    found.add(next);
    for (const child of children.get(next) ?? []) stack.push(child.id);
  }
  return found;
}

/**
 * Deletes message `id`. A message with no other versions goes alone: what followed it follows the
 * message before it (as before versions). A version goes with what followed it (that is what it
 * led to), and the version shown last of the others takes its place.
 */
export function deleteMessage(tree: MessageTree, id: string, now = Date.now()): MessageTree {
  const index = tree.messages.findIndex((m) => m.id === id);
  const branches = tree.branches ?? [];
  if (index < 0) {
    const gone = subtree(id, branches);
    const rest = branches.filter((m) => !gone.has(m.id));
    return withBranches(tree.messages, rest);
  }
  const parent = parentOnPath(tree.messages, index);
  const others = branches.filter((m) => m.parentId === parent);
  if (!others.length) {
    const rest = branches.map((m) => (m.parentId === id ? { ...m, parentId: parent } : m));
    return withBranches(
      tree.messages.filter((m) => m.id !== id),
      rest,
    );
  }
  const all = [...branches, ...hide(tree.messages, index, now)];
  const gone = subtree(id, all);
  const rest = all.filter((m) => !gone.has(m.id));
  return joined(tree.messages.slice(0, index), descend(shownLast(others), rest), rest);
}

/** Every message of the tree, each naming the message it follows: the form merges work on. */
export function treeNodes(tree: MessageTree): BranchMessage[] {
  return [
    ...tree.messages.map((message, index) => ({ ...message, parentId: parentOnPath(tree.messages, index) })),
    ...(tree.branches ?? []),
  ];
}

/**
 * The tree back from its nodes, with the path ending at `leaf` (and going on from there, see
 * `continuePath`). A node whose parent is gone follows its nearest ancestor still there
 * (`ancestor`, from the sides of a merge), or opens the conversation.
 */
export function treeFromNodes(
  nodes: readonly BranchMessage[],
  leaf: string | null,
  ancestor: (id: string) => string | null = () => null,
): MessageTree {
  const byId = new Map(nodes.map((m) => [m.id, m]));
  const parentThere = (parentId: string | null): string | null => {
    const seen = new Set<string>();
    let id = parentId;
    while (id !== null && !byId.has(id) && !seen.has(id)) {
      seen.add(id);
      id = ancestor(id);
    }
    return id !== null && byId.has(id) ? id : null;
  };
  const fixed = nodes.map((m) =>
    byId.has(m.parentId ?? '') || m.parentId === null ? m : { ...m, parentId: parentThere(m.parentId) },
  );
  const fixedById = new Map(fixed.map((m) => [m.id, m]));
  const path: BranchMessage[] = [];
  const seen = new Set<string>();
  for (let at = leaf === null ? undefined : fixedById.get(leaf); at && !seen.has(at.id);) {
    seen.add(at.id);
    path.unshift(at);
    at = at.parentId === null ? undefined : fixedById.get(at.parentId);
  }
  // A path that does not reach the start (a cycle two tabs' moves made) starts at its first message.
  const rest = fixed.filter((m) => !seen.has(m.id)).sort(byCreation);
  return continuePath(withBranches(path.map(onPath), rest));
}
