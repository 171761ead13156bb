/**
 * Memory as the page uses it, loaded after start-up with the list (never in the first paint): the
 * stored facts, the check of a new one, and the facts a message gets, put in its turn.
 */
import type { ChatMessage } from '../engine/types';
import {
  checkMemoryText,
  memoryBudget,
  MEMORY_RECORD_VERSION,
  rememberedTurns,
  type CheckedText,
  type Memory,
  type RememberedFact,
} from './memory';
import { factsFor } from './select';

export { checkMemoryText };
export { memoryRecords, MEMORY_CHANNEL } from './store';

/** A new fact's record, or the reason it is refused. */
export function newMemory(
  text: string,
  from?: Memory['from'],
): { ok: true; memory: Memory } | Extract<CheckedText, { ok: false }> {
  const checked = checkMemoryText(text);
  if (!checked.ok) return checked;
  const now = Date.now();
  const memory: Memory = {
    schemaVersion: MEMORY_RECORD_VERSION,
    id: crypto.randomUUID(),
    text: checked.text,
    createdAt: now,
    updatedAt: now,
    ...(from ? { from } : {}),
  };
  return { ok: true, memory };
}

/** The turns to send: the facts for the last (user) turn, within the window's budget, put in it. */
export function withFacts(
  memories: readonly Memory[],
  turns: readonly ChatMessage[],
  contextLength: number,
): { turns: ChatMessage[]; facts: RememberedFact[] } {
  const facts = factsFor(memories, turns.at(-1)?.content ?? '', memoryBudget(contextLength));
  return { turns: rememberedTurns(turns, facts), facts };
}
