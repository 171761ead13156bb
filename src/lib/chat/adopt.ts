/**
 * Brings what storage holds (another tab's changes, merged with ours) into this tab's live copy
 * of a conversation, changing only what differs. `from` is the version the merge started from:
 * messages this tab added since then stay, and message objects a reply is streaming into are
 * kept as they are (reassigning them would cut the stream off). Pure: the live copy may be a
 * Svelte proxy or a plain object; unit-tested in Node.
 */
import type { Conversation, StoredMessage } from './conversation';
import { sameValue } from './merge';

export function adoptStored(live: Conversation, stored: Conversation, from: Conversation): void {
  if (live.title !== stored.title) live.title = stored.title;
  if (live.systemPrompt !== stored.systemPrompt) live.systemPrompt = stored.systemPrompt;
  if (!sameValue(live.settings, stored.settings)) live.settings = { ...stored.settings };
  if (live.modelId !== stored.modelId) {
    if (stored.modelId === undefined) delete live.modelId;
    else live.modelId = stored.modelId;
  }
  if (!sameValue(live.attachments, stored.attachments)) {
    if (stored.attachments === undefined) delete live.attachments;
    else live.attachments = structuredClone(stored.attachments);
  }
  if (live.toolsOff !== stored.toolsOff) {
    if (stored.toolsOff === undefined) delete live.toolsOff;
    else live.toolsOff = stored.toolsOff;
  }
  if (!sameValue(live.assistant, stored.assistant)) {
    if (stored.assistant === undefined) delete live.assistant;
    else live.assistant = { ...stored.assistant };
  }
  if (!sameValue(live.branches, stored.branches)) {
    if (stored.branches === undefined) delete live.branches;
    else live.branches = structuredClone(stored.branches);
  }
  if (live.updatedAt < stored.updatedAt) live.updatedAt = stored.updatedAt;
  const fromById = new Map(from.messages.map((m) => [m.id, m]));
  const liveById = new Map(live.messages.map((m) => [m.id, m]));
  const inStored = new Set(stored.messages.map((m) => m.id));
  for (const message of stored.messages) {
    const mine = liveById.get(message.id);
    const before = fromById.get(message.id);
    // Changed there, and not here since: take theirs (a reply another tab is streaming).
    if (mine && before !== undefined && sameValue(mine, before)) assignMessage(mine, message);
  }
  const ids = (list: readonly StoredMessage[]) => list.map((m) => m.id).join();
  if (ids(stored.messages) !== ids(from.messages)) {
    const addedHereSince = live.messages.filter((m) => !fromById.has(m.id) && !inStored.has(m.id));
    live.messages = [...stored.messages.map((m) => liveById.get(m.id) ?? structuredClone(m)), ...addedHereSince];
  }
}

/** Makes a live message equal to `next`, keeping the object a stream may write into. */
function assignMessage(message: StoredMessage, next: StoredMessage): void {
  const target = message as unknown as Record<string, unknown>;
  const source = next as unknown as Record<string, unknown>;
  for (const key of Object.keys(target)) if (!(key in source)) delete target[key];
  for (const [key, value] of Object.entries(source)) {
    if (!sameValue(target[key], value)) target[key] = structuredClone(value);
  }
}
