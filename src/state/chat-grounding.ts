/**
 * Grounds a chat reply in the conversation's attached documents through the Documents view's
 * own job (lib/documents Grounder): finds the passages before anything in the conversation
 * changes (so a message nothing in the documents answers is refused whole), then writes the
 * reply from them. The documents store is created after the first paint; it is awaited here.
 */
import type { Conversation, ReplySource } from '../lib/chat/conversation';
import { groundingQuery, toReplySources } from '../lib/chat/grounding';
import type { AnswerOutcome } from '../lib/documents/answer';
import { noPassagesMessage } from '../lib/documents/outcome';
import type { RankedPassage } from '../lib/documents/prompt';
import type { ChatMessage, ChatRequest, CompletionStats, StreamCallbacks } from '../lib/engine/types';
import type { DocumentsState } from './documents.svelte';

/** Passages found for a turn, ready to answer from. */
export interface FoundGrounding {
  ranked: RankedPassage[];
  documents: DocumentsState;
}

export type GroundingSearch = { found: FoundGrounding } | { refused: string } | undefined;

export interface GroundedReply {
  found: FoundGrounding;
  conversation: Conversation;
  /** The turns to answer, the last one the user's. */
  turns: ChatMessage[];
  model: { modelId: string; contextLength: number };
  chat: (request: ChatRequest, callbacks: StreamCallbacks, signal?: AbortSignal) => Promise<CompletionStats>;
  onSources: (sources: ReplySource[]) => void;
  onToken: (text: string) => void;
  signal: AbortSignal;
}

export class ChatGrounding {
  readonly #documents: () => Promise<DocumentsState>;

  constructor(documents: () => Promise<DocumentsState>) {
    this.#documents = documents;
  }

  /** Undefined for a conversation with nothing attached (a plain reply). */
  async search(conversation: Conversation, turns: readonly ChatMessage[]): Promise<GroundingSearch> {
    const documentIds = (conversation.attachments ?? []).map((attached) => attached.documentId);
    if (documentIds.length === 0) return undefined;
    const documents = await this.#documents();
    const ranked = await documents.grounder.search(groundingQuery(turns), undefined, documentIds);
    if (ranked.length > 0) return { found: { ranked, documents } };
    const present = documentIds.some((id) => documents.library.record(id));
    return {
      refused: present
        ? noPassagesMessage('attached')
        : 'The attached documents are no longer in your library. Remove them, or attach others.',
    };
  }

  answer(reply: GroundedReply): Promise<AnswerOutcome> {
    const { found, conversation, turns } = reply;
    const last = turns.at(-1)!;
    return found.documents.grounder.answer({
      question: last.content,
      ranked: found.ranked,
      model: reply.model,
      conversation: { systemPrompt: conversation.systemPrompt, history: turns.slice(0, -1) },
      settings: conversation.settings,
      chat: reply.chat,
      onSources: (sources) => reply.onSources(toReplySources(sources)),
      onToken: reply.onToken,
      signal: reply.signal,
    });
  }
}
