/**
 * Writes one reply into a conversation: streams it from the target's engine (a plain reply
 * planned by lib/chat/prompt, or one grounded in attached documents through ChatGrounding),
 * saves it as it grows, and tells how it ended — stopped, cut off, or failed and why.
 */
import type { Conversation, ReplySource, StoredMessage } from '../../lib/chat/conversation';
import { applyTree, continuePath } from '../../lib/chat/versions';
import { chatWithTools, ROUND_LIMIT_NOTE } from '../../lib/chat/tool-rounds';
import { succeeded, type ToolOutcome } from '../../lib/tools/types';
import type { MemoryState } from '../memory/memory.svelte';
import { usesTools } from '../../lib/chat/tools-choice';
import { loadToolRegistry } from './tool-registry';
import { planReply } from '../../lib/chat/prompt';
import { describeReplyFailure, toTurns } from '../../lib/chat/reply';
import { toEngineError } from '../../lib/engine/errors';
import type { CompletionStats } from '../../lib/engine/types';
import { ServerError } from '../../lib/servers/errors';
import type { GroundedTurn } from './grounding';
import type { ConversationsState } from './conversations.svelte';
import type { EngineState } from '../engine/engine.svelte';
import { calibrationId, type ReplyTarget } from './reply-target';
import type { TitleWriter } from './titles';

/** A server model failed: what to tell, and that the local model is one click away. */
export interface ServerFailureNotice {
  message: string;
  host: string;
  /** The server cannot be used now (down, offline, refused): offer the local model. */
  offerLocal: boolean;
}

/** The document search behind the tool: passages as text for the model, and as sources numbered from `from`. */
export type DocumentToolSearch = (
  query: string,
  from: number,
) => Promise<{ result: ToolOutcome; sources: ReplySource[] }>;

/** The engine's own measure of the thinking, once the reply is done. */
function endThinking(reply: StoredMessage, stats: CompletionStats): void {
  if (reply.thinking && stats.thinkingMs !== undefined) reply.thinking.ms = Math.round(stats.thinkingMs);
}

export class ReplyWriterState {
  streaming = $state(false);
  serverFailure = $state.raw<ServerFailureNotice | undefined>(undefined);
  announcement = $state('');
  /** The tool the model is writing a call to, while it writes it. */
  callingTool = $state<string | undefined>(undefined);
  /** Messages the last reply's prompt left out (read while streaming, when it cannot be replayed). */
  lastForgotten = 0;
  #controller: AbortController | undefined;
  readonly #engine: EngineState;
  readonly #conversations: ConversationsState;
  readonly #titles: TitleWriter | undefined;
  readonly #showError: (message: string | undefined) => void;

  readonly #documentSearch: DocumentToolSearch | undefined;
  readonly #memory: MemoryState | undefined;

  constructor(
    engine: EngineState,
    conversations: ConversationsState,
    titles: TitleWriter | undefined,
    showError: (message: string | undefined) => void,
    documentSearch?: DocumentToolSearch,
    memory?: MemoryState,
  ) {
    this.#documentSearch = documentSearch;
    this.#memory = memory;
    this.#engine = engine;
    this.#conversations = conversations;
    this.#titles = titles;
    this.#showError = showError;
  }

  clearServerFailure(): void {
    this.serverFailure = undefined;
  }

  stop(): void {
    this.#controller?.abort();
  }

  /**
   * Answers the last (user) message of the conversation, streaming into a new reply; `onReply`
   * hears the reply's id as soon as it exists (before its first token).
   */
  async write(
    conversation: Conversation,
    target: ReplyTarget,
    { grounded, onReply }: { grounded?: GroundedTurn | undefined; onReply?: ((id: string) => void) | undefined } = {},
  ): Promise<void> {
    const model = target.model;
    // Remembered facts go with the user's message (not with a grounded one: its passages have the room).
    const memory = grounded ? undefined : this.#memory;
    if (memory && !memory.isReady) await memory.ready();
    const history = toTurns(conversation.messages);
    const { turns, facts } = memory ? memory.withFacts(history, model.contextLength) : { turns: history, facts: [] };
    const plan = planReply(conversation.systemPrompt, turns, conversation.settings, model);
    if (!plan.ok) return this.#showError(plan.reason);
    this.#showError(undefined);
    this.serverFailure = undefined;
    if (target.modelId) conversation.modelId = target.modelId;
    conversation.updatedAt = Date.now();
    conversation.messages.push({
      id: crypto.randomUUID(),
      role: 'assistant',
      content: '',
      createdAt: Date.now(),
      ...(target.author ? { author: target.author } : {}),
      ...(target.sentTo ? { sentTo: target.sentTo } : {}),
      ...(facts.length ? { remembered: facts } : {}),
      // Until the reply finishes: what a reload finds if the tab closes mid-reply.
      interrupted: true,
    });
    // The proxied element, so token appends below update the DOM.
    const reply = conversation.messages[conversation.messages.length - 1]!;
    this.#conversations.touch(conversation, { now: true });
    this.lastForgotten = plan.droppedCount;
    this.streaming = true;
    this.announcement = 'Nook is replying…';
    onReply?.(reply.id);
    const controller = new AbortController();
    this.#controller = controller;
    // Tools for a model whose template can call them, unless this conversation turned them off;
    // a grounded reply answers from its attached documents instead.
    const tools = !grounded && usesTools(conversation, model) ? loadToolRegistry() : undefined;
    const onToken = (token: string) => {
      reply.content += token;
      this.#conversations.touch(conversation);
    };
    const thinkingFrom = performance.now();
    const onThinking = (text: string) => {
      if (reply.thinking) reply.thinking.text += text;
      else reply.thinking = { text, ms: 0 };
      reply.thinking.ms = Math.round(performance.now() - thinkingFrom);
      this.#conversations.touch(conversation);
    };
    let stats: CompletionStats | undefined;
    try {
      // With the local engine and no title being written, nothing is awaited before the request
      // is posted: it leaves in the same task as the user's Enter, before the page draws and saves
      // the new messages (Svelte applies them in a microtask), which on a small machine would
      // otherwise run first and hold up the prompt's reading
      // (docs/decisions/0016-reply-request-before-saving.md).
      if (this.#titles?.writing) await this.#titles.yieldEngine();
      const found = target.engine();
      const engine = found instanceof Promise ? await found : found;
      const chat = engine.chat.bind(engine);
      if (grounded) {
        const outcome = await grounded.answer({
          conversation,
          turns,
          model: { modelId: calibrationId(target), name: model.name, contextLength: model.contextLength },
          chat,
          onSources: (sources) => (reply.sources = sources),
          onToken,
          onThinking,
          signal: controller.signal,
        });
        if (outcome.kind === 'answered') {
          stats = outcome.stats;
          this.lastForgotten = outcome.droppedTurns;
          reply.unseenBefore = outcome.droppedTurns;
        } else {
          // Not asked (the window cannot hold a passage): no reply is left behind.
          this.#withdraw(conversation, reply);
          this.#showError(outcome.message);
        }
      } else if (tools) {
        const registry = await tools;
        const outcome = await chatWithTools({
          chat,
          request: {
            messages: plan.messages,
            settings: plan.settings,
            tools: registry.toolsFor(memory?.enabled ? undefined : registry.WITHOUT_MEMORY),
          },
          callbacks: { onToken, onThinking },
          run: (call) =>
            registry.runTool(call, {
              searchDocuments: (query) => this.#searchDocuments(query, reply),
              ...(memory?.enabled ? { proposeMemory: (fact: string) => this.#propose(conversation, reply, fact) } : {}),
            }),
          onSteps: (steps) => {
            reply.steps = steps;
            this.#conversations.touch(conversation, { now: true });
          },
          onCalling: (name) => (this.callingTool = name),
          signal: controller.signal,
        });
        stats = outcome.stats;
        if (outcome.limited) onToken(`${reply.content.trim() ? '\n\n' : ''}${ROUND_LIMIT_NOTE}`);
      } else {
        stats = await chat(
          { messages: plan.messages, settings: plan.settings },
          { onToken, onThinking },
          controller.signal,
        );
      }
      if (stats) {
        reply.stats = stats;
        endThinking(reply, stats);
        this.announcement = `Nook replied: ${reply.content}`;
        if (stats.finishReason !== 'aborted') this.#titles?.suggest(conversation);
      } else this.announcement = '';
    } catch (error) {
      await this.#failed(error, conversation, reply, target);
    } finally {
      if (reply.thinking) {
        // The blank lines around a thought are not part of it (llama.cpp keeps the last one).
        reply.thinking.text = reply.thinking.text.trim();
        // Thinking cut off with no answer after it (a Stop, a failure) is kept, marked unfinished.
        if (!reply.content.trim() && !reply.steps?.length) reply.thinking.unfinished = true;
      }
      // Only a closed page leaves a reply marked interrupted; a stop or an error is shown as such.
      delete reply.interrupted;
      this.callingTool = undefined;
      this.streaming = false;
      this.#controller = undefined;
      conversation.updatedAt = Date.now();
      this.#conversations.touch(conversation, { now: true });
    }
  }

  /**
   * The model offers to remember a fact (checked by the tool): the reply asks the user (nothing is
   * stored until they accept), and the model is told so.
   */
  #propose(conversation: Conversation, reply: StoredMessage, fact: string): ToolOutcome {
    reply.proposals = [...(reply.proposals ?? []), { text: fact }];
    this.#conversations.touch(conversation, { now: true });
    return succeeded(
      'The user is asked whether to remember this; it is kept only if they agree. Do not say it is kept.',
    );
  }

  /** Takes back a reply that never came; a version it was to replace is shown again. */
  #withdraw(conversation: Conversation, reply: StoredMessage): void {
    conversation.messages = conversation.messages.filter((m) => m.id !== reply.id);
    applyTree(conversation, continuePath(conversation));
  }

  /**
   * The search-my-documents tool: the Documents view's retrieval over the whole library; its
   * passages become the reply's sources, numbered on from any it already has, so [n] links work.
   */
  async #searchDocuments(query: string, reply: StoredMessage): Promise<ToolOutcome> {
    if (!this.#documentSearch) return { ok: false, error: 'Document search is not available here.' };
    const found = await this.#documentSearch(query, (reply.sources?.length ?? 0) + 1);
    if (found.sources.length) reply.sources = [...(reply.sources ?? []), ...found.sources];
    return found.result;
  }

  async #failed(
    error: unknown,
    conversation: Conversation,
    reply: Conversation['messages'][number],
    target: ReplyTarget,
  ): Promise<void> {
    this.announcement = '';
    if (error instanceof ServerError) {
      // The server failed, not this device: the local engine is untouched.
      if (error.failure === 'cut-off') reply.engineStopped = true;
      // Nothing came: no empty reply stays behind, the message waits for an answer. The save of
      // the reply's start lands first, so the merge sees the removal as this tab's own.
      if (!reply.content) {
        await this.#conversations.flush();
        this.#withdraw(conversation, reply);
      }
      this.serverFailure = {
        message: error.message,
        host: target.sentTo?.host ?? '',
        offerLocal: conversation.server !== undefined && error.serverUnavailable,
      };
      return;
    }
    const engineError = toEngineError(error);
    // Another tab took the engine over mid-reply (TabsState says so), or the engine was lost.
    const lost = engineError.code === 'worker-crashed' || engineError.code === 'device-lost' || this.#engine.elsewhere;
    // A lost engine is told app-wide (EngineState.fault, with what to do); the reply says where it stopped.
    if (lost) reply.engineStopped = true;
    this.#showError(
      lost && (this.#engine.fault || this.#engine.elsewhere) ? undefined : describeReplyFailure(engineError),
    );
  }
}
