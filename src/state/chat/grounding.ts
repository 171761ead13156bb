/**
 * Grounds a chat reply in the conversation's attached documents through the Documents view's
 * own job (lib/documents Grounder): finds the passages before anything in the conversation
 * changes (so a message nothing in the documents answers is refused whole), then writes the
 * reply from them. Loaded after the first paint, with the Documents store it awaits.
 */
import type { Conversation, ReplySource } from '../../lib/chat/conversation';
import { groundingQuery, passagesForModel, TOOL_PASSAGES, toolSource, toReplySources } from '../../lib/chat/grounding';
import type { ToolOutcome } from '../../lib/tools/types';
import { noPassagesMessage, windowTooSmallMessage } from '../../lib/documents/outcome';
import type { RankedPassage } from '../../lib/documents/prompt';
import type { ChatMessage, ChatRequest, CompletionStats, StreamCallbacks } from '../../lib/engine/types';
import type { DocumentsState } from '../documents/documents.svelte';

export interface GroundedReply {
  conversation: Conversation;
  /** The turns to answer, the last one the user's. */
  turns: ChatMessage[];
  model: { modelId: string; name?: string; contextLength: number };
  chat: (request: ChatRequest, callbacks: StreamCallbacks, signal?: AbortSignal) => Promise<CompletionStats>;
  onSources: (sources: ReplySource[]) => void;
  onToken: (text: string) => void;
  onThinking: (text: string) => void;
  signal: AbortSignal;
}

export type GroundedAnswer =
  { kind: 'answered'; stats: CompletionStats; droppedTurns: number } | { kind: 'refused'; message: string };

/** Passages found for one turn, ready to answer from. */
export interface GroundedTurn {
  answer(reply: GroundedReply): Promise<GroundedAnswer>;
}

export type GroundingSearch = { found: GroundedTurn } | { refused: string } | undefined;

export class ChatGrounding {
  readonly #documents: () => Promise<DocumentsState>;

  constructor(documents: () => Promise<DocumentsState>) {
    this.#documents = documents;
  }

  /**
   * The search-my-documents tool: the best passages of the whole library for `query`, as the
   * model reads them (numbered from `from`, quoted as data) and as the reply's sources.
   */
  async searchForTool(query: string, from: number): Promise<{ result: ToolOutcome; sources: ReplySource[] }> {
    const documents = await this.#documents();
    const found = (await documents.grounder.search(query)).slice(0, TOOL_PASSAGES);
    const sources = found.map((passage, i) => toolSource(passage, from + i));
    return { result: { ok: true, result: passagesForModel(query, sources) }, sources };
  }

  /** Undefined for a conversation with nothing attached (a plain reply). */
  async search(conversation: Conversation, turns: readonly ChatMessage[]): Promise<GroundingSearch> {
    const documentIds = (conversation.attachments ?? []).map((attached) => attached.documentId);
    if (documentIds.length === 0) return undefined;
    const documents = await this.#documents();
    const ranked = await documents.grounder.search(groundingQuery(turns), undefined, documentIds);
    if (ranked.length > 0) return { found: { answer: (reply) => answer(documents, ranked, reply) } };
    const present = documentIds.some((id) => documents.library.record(id));
    return {
      refused: present
        ? noPassagesMessage('attached')
        : 'The attached documents are no longer in your library. Remove them, or attach others.',
    };
  }
}

async function answer(
  documents: DocumentsState,
  ranked: readonly RankedPassage[],
  reply: GroundedReply,
): Promise<GroundedAnswer> {
  const { conversation, turns, model } = reply;
  const outcome = await documents.grounder.answer({
    question: turns.at(-1)!.content,
    ranked,
    model,
    conversation: { systemPrompt: conversation.systemPrompt, history: turns.slice(0, -1) },
    settings: conversation.settings,
    chat: reply.chat,
    onSources: (sources) => reply.onSources(toReplySources(sources)),
    onToken: reply.onToken,
    onThinking: reply.onThinking,
    signal: reply.signal,
  });
  switch (outcome.kind) {
    case 'answered':
      return { kind: 'answered', stats: outcome.stats, droppedTurns: outcome.droppedTurns };
    case 'window-too-small':
      return { kind: 'refused', message: windowTooSmallMessage(model.name, model.contextLength) };
    case 'no-passages': // searched before: cannot happen, told all the same
      return { kind: 'refused', message: noPassagesMessage('attached') };
  }
}
