/**
 * Three-way merge of one conversation record changed in two tabs. `base` is the version this tab
 * last read or wrote, `ours` what this tab has now, `theirs` what another tab stored since. Each
 * field keeps the side that changed it (ours when both did); messages merge by id, so a reply
 * streaming in one tab and a message deleted or a title renamed in the other both survive.
 * Pure: used inside the IndexedDB transaction that writes the record.
 */
import type { Conversation, StoredMessage } from './conversation';

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

export function mergeMessages(
  base: readonly StoredMessage[],
  ours: readonly StoredMessage[],
  theirs: readonly StoredMessage[],
): StoredMessage[] {
  const baseById = new Map(base.map((m) => [m.id, m]));
  const theirsById = new Map(theirs.map((m) => [m.id, m]));
  const oursIds = new Set(ours.map((m) => m.id));
  const merged: StoredMessage[] = [];
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
    messages: mergeMessages(from.messages, ours.messages, theirs.messages),
  };
  const modelId = pick(from.modelId, ours.modelId, theirs.modelId);
  if (modelId === undefined) delete merged.modelId;
  else merged.modelId = modelId;
  const attachments = pick(from.attachments, ours.attachments, theirs.attachments);
  if (attachments === undefined) delete merged.attachments;
  else merged.attachments = attachments;
  const toolsOff = pick(from.toolsOff, ours.toolsOff, theirs.toolsOff);
  if (toolsOff === undefined) delete merged.toolsOff;
  else merged.toolsOff = toolsOff;
  return merged;
}
