/**
 * Three-way merge of one conversation record changed in two tabs. `base` is the version this tab
 * last read or wrote, `ours` what this tab has now, `theirs` what another tab stored since. Each
 * field keeps the side that changed it (ours when both did); messages merge by id, so a reply
 * streaming in one tab and a message deleted or a title renamed in the other both survive.
 * Messages form a tree (lib/chat/versions.ts): each side's messages merge as the tree's nodes, and
 * the visible path is the one the side that changed it chose, so a version picked in one tab and a
 * reply written in the other both stay, and two tabs' different next messages become versions.
 * Pure: used inside the IndexedDB transaction that writes the record.
 */
import type { Conversation, StoredMessage } from './conversation';
import { treeFromNodes, treeNodes, type MessageTree } from './versions';

/** JSON with object keys sorted: records read back from storage may list keys in another order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    item && typeof item === 'object' && !Array.isArray(item)
      ? Object.fromEntries(Object.entries(item).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : item,
  );
}

/** Equal as stored data (key order aside). */
export const sameValue = (a: unknown, b: unknown): boolean => canonical(a) === canonical(b);
const same = sameValue;

/** The side that changed the value since `base` (ours if both did). */
function pick<T>(base: T, ours: T, theirs: T): T {
  return same(ours, base) ? theirs : ours;
}

export function mergeMessages<M extends StoredMessage>(
  base: readonly M[],
  ours: readonly M[],
  theirs: readonly M[],
): M[] {
  const baseById = new Map(base.map((m) => [m.id, m]));
  const theirsById = new Map(theirs.map((m) => [m.id, m]));
  const oursIds = new Set(ours.map((m) => m.id));
  const merged: M[] = [];
  for (const message of ours) {
    const before = baseById.get(message.id);
    const other = theirsById.get(message.id);
    if (!before)
      merged.push(message); // added here
    else if (!other) {
      // Deleted there: gone, unless this tab changed it meanwhile (a reply still streaming).
      if (!same(message, before)) merged.push(message);
    } else merged.push(pick(before, message, other));
  }
  for (const message of theirs) {
    if (oursIds.has(message.id) || baseById.has(message.id)) continue; // kept above, or deleted here
    // Added there: placed by time among the others.
    const at = merged.findIndex((m) => m.createdAt > message.createdAt);
    if (at < 0) merged.push(message);
    else merged.splice(at, 0, message);
  }
  return merged;
}

/**
 * Three-way merge of the message trees: nodes by id (as `mergeMessages`), the path's end from the
 * side that moved it. A message whose parent the other side deleted follows that parent's parent.
 */
export function mergeTrees(base: MessageTree, ours: MessageTree, theirs: MessageTree): MessageTree {
  const sides = [ours, theirs, base].map(treeNodes);
  const nodes = mergeMessages(sides[2]!, sides[0]!, sides[1]!);
  const leaf = (tree: MessageTree) => tree.messages.at(-1)?.id ?? null;
  const present = new Set(nodes.map((m) => m.id));
  const chosen = pick(leaf(base), leaf(ours), leaf(theirs));
  const end = [chosen, leaf(ours), leaf(theirs)].find((id) => id === null || present.has(id)) ?? null;
  const parents = new Map<string, string | null>();
  for (const side of sides) for (const m of side) if (!parents.has(m.id)) parents.set(m.id, m.parentId);
  return treeFromNodes(nodes, end, (id) => parents.get(id) ?? null);
}

export function mergeConversation(
  base: Conversation | undefined,
  ours: Conversation,
  theirs: Conversation | undefined,
): Conversation {
  // Never stored before, or deleted by the other tab while this one wrote into it: ours stands.
  if (!theirs) return ours;
  if (same(ours, theirs)) return ours;
  const from = base ?? { ...theirs, messages: [] };
  const merged: Conversation = {
    ...ours,
    title: pick(from.title, ours.title, theirs.title),
    systemPrompt: pick(from.systemPrompt, ours.systemPrompt, theirs.systemPrompt),
    settings: pick(from.settings, ours.settings, theirs.settings),
    updatedAt: Math.max(ours.updatedAt, theirs.updatedAt),
  };
  const tree = mergeTrees(from, ours, theirs);
  merged.messages = tree.messages;
  if (tree.branches) merged.branches = tree.branches;
  else delete merged.branches;
  const modelId = pick(from.modelId, ours.modelId, theirs.modelId);
  if (modelId === undefined) delete merged.modelId;
  else merged.modelId = modelId;
  const attachments = pick(from.attachments, ours.attachments, theirs.attachments);
  if (attachments === undefined) delete merged.attachments;
  else merged.attachments = attachments;
  const toolsOff = pick(from.toolsOff, ours.toolsOff, theirs.toolsOff);
  if (toolsOff === undefined) delete merged.toolsOff;
  else merged.toolsOff = toolsOff;
  const assistant = pick(from.assistant, ours.assistant, theirs.assistant);
  if (assistant === undefined) delete merged.assistant;
  else merged.assistant = assistant;
  return merged;
}
