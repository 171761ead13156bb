/**
 * A chat turn grounded in the conversation's attached documents, the chat side of it (the
 * retrieval and prompt are lib/documents'): what the search looks for, and the sources as they
 * are saved with the reply.
 */
import type { GivenSource } from '../documents/prompt';
import type { ChatMessage } from '../engine/types';
import type { ReplySource } from './conversation';

/**
 * The newest user message, with the one before it: a follow-up ("and the second one?") shares
 * few words with the passage it is about, the question before it usually does.
 */
export function groundingQuery(turns: readonly ChatMessage[]): string {
  const asked = turns.filter((turn) => turn.role === 'user').slice(-2);
  return asked.map((turn) => turn.content).join('\n');
}

export const toReplySources = (sources: readonly GivenSource[]): ReplySource[] =>
  sources.map((source) => ({
    number: source.number,
    documentId: source.documentId,
    documentName: source.documentName,
    passage: source.index,
    ...(source.heading ? { heading: source.heading } : {}),
    text: source.text,
    ...(source.clipped ? { clipped: true } : {}),
  }));
