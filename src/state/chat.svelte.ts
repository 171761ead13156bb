/**
 * Replies in the open conversation. Orchestration only: the prompt is planned by lib/chat/prompt,
 * tokens come from the engine, conversations are kept by ConversationStore, and this class turns
 * intents (send, stop, regenerate, edit and resend, delete) into state the components render.
 */
import {
  titleFromText,
  type Conversation,
  type SentTo,
  type ServerModelRef,
  type StoredMessage,
} from '../lib/chat/conversation';
import { forgottenBeforeLastReply, planReply, type ReplyModel } from '../lib/chat/prompt';
import { EngineError, toEngineError } from '../lib/engine/errors';
import type { ChatMessage, Engine, LoadedModelInfo } from '../lib/engine/types';
import { ServerError } from '../lib/servers/errors';
import type { ConversationStore } from './conversations.svelte';
import type { EngineState } from './engine.svelte';
import type { ServerStore } from './servers.svelte';
import type { TitleWriter } from './titles';

/** Who writes the next reply: the local model, or a server model the user picked. */
interface ReplyTarget {
  model: ReplyModel;
  /** Set for a server model: where the prompt goes. */
  sentTo?: SentTo;
  author?: Pick<LoadedModelInfo, 'name' | 'backend' | 'device'>;
  modelId?: string;
  engine: () => Promise<Pick<Engine, 'chat'>>;
}

/** A server model failed: what to tell, and that the local model is one click away. */
export interface ServerFailureNotice {
  message: string;
  host: string;
  /** The server cannot be used now (down, offline, refused): offer the local model. */
  offerLocal: boolean;
}

export class ChatSession {
  streaming = $state(false);
  error = $state<string | undefined>(undefined);
  /** The last reply from a server model failed (see {@link ServerFailureNotice}). */
  serverFailure = $state.raw<ServerFailureNotice | undefined>(undefined);
  /** The reply being written, for the polite live region (announced when done, not per token). */
  announcement = $state('');
  #controller: AbortController | undefined;
  readonly #engine: EngineState;
  readonly #conversations: ConversationStore;
  readonly #titles: TitleWriter | undefined;
  readonly #servers: ServerStore | undefined;

  constructor(engine: EngineState, conversations: ConversationStore, titles?: TitleWriter, servers?: ServerStore) {
    this.#engine = engine;
    this.#conversations = conversations;
    this.#titles = titles;
    this.#servers = servers;
  }

  /** The server model the open conversation runs on, if it runs on one (and it is still there). */
  get server() {
    return this.#servers?.choice(this.#conversations.active?.server);
  }

  /** Whether a message sent now has a model to answer it (local, or the conversation's server). */
  get canReply(): boolean {
    return this.#target(this.#conversations.active) !== undefined;
  }

  /** Runs the open conversation on a server model from now on (explicit: the user's pick). */
  useServer(ref: ServerModelRef): void {
    const conversation = this.#conversations.active;
    if (!conversation || this.streaming) return;
    conversation.server = { serverId: ref.serverId, modelId: ref.modelId };
    this.serverFailure = undefined;
    this.#conversations.touch(conversation, { now: true });
  }

  /**
   * Back to the model on this device; the conversation and every reply stay as they are. A
   * message the server left unanswered is answered here, when a local model is loaded.
   */
  async useLocal(): Promise<void> {
    const conversation = this.#conversations.active;
    this.serverFailure = undefined;
    if (!conversation || this.streaming) return;
    if (conversation.server) {
      delete conversation.server;
      this.#conversations.touch(conversation, { now: true });
    }
    const target = this.#target(conversation);
    if (
      target &&
      conversation.messages.at(-1)?.role === 'user' &&
      this.#check(conversation, toTurns(conversation.messages), target)
    ) {
      await this.#reply(conversation, target);
    }
  }

  /** Writes the last reply again on a server model, for this one reply only. */
  async askServer(ref: ServerModelRef): Promise<void> {
    const conversation = this.#conversations.active;
    if (!conversation || this.streaming || conversation.messages.at(-1)?.role !== 'assistant') return;
    const target = this.#serverTarget(ref);
    if (!target) return;
    const kept = conversation.messages.slice(0, -1);
    if (!this.#check(conversation, toTurns(kept), target)) return;
    conversation.messages = kept;
    await this.#reply(conversation, target);
  }

  get messages(): StoredMessage[] {
    return this.#conversations.active?.messages ?? [];
  }

  /** Messages at the start of the conversation the model did not see for the last reply. */
  readonly forgottenCount = $derived.by(() => {
    // Read nothing else while streaming: this must not recompute per token.
    if (this.streaming) return this.#lastForgotten;
    const conversation = this.#conversations.active;
    const model = this.#target(conversation)?.model;
    if (!conversation || !model) return 0;
    const { systemPrompt, messages, settings } = conversation;
    return forgottenBeforeLastReply(systemPrompt, toTurns(messages), settings, model.contextLength);
  });
  #lastForgotten = 0;

  /** Sends a message; false when it was refused (the draft should stay). */
  async send(text: string): Promise<boolean> {
    const content = text.trim();
    if (!content || this.streaming) return false;
    const onServer = this.#conversations.active?.server !== undefined;
    // The engine was lost under the model: sending loads it again in a fresh worker first.
    if (!onServer && !this.#engine.loaded && this.#engine.canRecover && !(await this.#engine.recover())) return false;
    const conversation = this.#conversations.active;
    const target = this.#target(conversation);
    if (!target || !conversation) return false;
    const turns = [...toTurns(conversation.messages), { role: 'user' as const, content }];
    if (!this.#check(conversation, turns, target)) return false;
    conversation.messages.push({
      id: crypto.randomUUID(),
      role: 'user',
      content,
      createdAt: Date.now(),
      ...(target.sentTo ? { sentTo: target.sentTo } : {}),
    });
    if (!conversation.title) conversation.title = titleFromText(content);
    await this.#reply(conversation, target);
    return true;
  }

  /** Writes the last reply again. */
  async regenerate(): Promise<void> {
    const conversation = this.#conversations.active;
    if (!conversation || this.streaming || conversation.messages.at(-1)?.role !== 'assistant') return;
    const kept = conversation.messages.slice(0, -1);
    const target = this.#target(conversation);
    if (!target || !this.#check(conversation, toTurns(kept), target)) return;
    conversation.messages = kept;
    await this.#reply(conversation, target);
  }

  /** Replaces a user message and everything after it, then answers the new text. */
  async editAndResend(messageId: string, text: string): Promise<boolean> {
    const conversation = this.#conversations.active;
    const content = text.trim();
    if (!conversation || this.streaming || !content) return false;
    const index = conversation.messages.findIndex((m) => m.id === messageId && m.role === 'user');
    if (index < 0) return false;
    const kept = conversation.messages.slice(0, index);
    const target = this.#target(conversation);
    if (!target || !this.#check(conversation, [...toTurns(kept), { role: 'user', content }], target)) return false;
    conversation.messages = [
      ...kept,
      {
        id: crypto.randomUUID(),
        role: 'user',
        content,
        createdAt: Date.now(),
        ...(target.sentTo ? { sentTo: target.sentTo } : {}),
      },
    ];
    await this.#reply(conversation, target);
    return true;
  }

  deleteMessage(messageId: string): void {
    const conversation = this.#conversations.active;
    if (!conversation || this.streaming) return;
    conversation.messages = conversation.messages.filter((m) => m.id !== messageId);
    this.#conversations.touch(conversation, { now: true });
  }

  stop(): void {
    this.#controller?.abort();
  }

  /** The conversation's server model if it picked one, else the loaded local model. */
  #target(conversation: Conversation | undefined): ReplyTarget | undefined {
    if (conversation?.server) return this.#serverTarget(conversation.server);
    const model = this.#engine.loaded;
    if (!model) return undefined;
    return {
      model,
      author: { name: model.name, backend: model.backend, device: model.device },
      modelId: model.modelId,
      engine: async () => this.#engine,
    };
  }

  #serverTarget(ref: ServerModelRef): ReplyTarget | undefined {
    const servers = this.#servers;
    const choice = servers?.choice(ref);
    if (!servers || !choice) return undefined;
    return {
      model: { name: `${choice.modelId} on ${choice.host}`, contextLength: choice.contextLength },
      sentTo: { host: choice.host, model: choice.modelId },
      engine: () => servers.engineFor(ref),
    };
  }

  /** Plans the reply for `turns`; shows the refusal when it cannot be answered. */
  #check(conversation: Conversation, turns: ChatMessage[], target: ReplyTarget): boolean {
    const plan = planReply(conversation.systemPrompt, turns, conversation.settings, target.model);
    this.error = plan.ok ? undefined : plan.reason;
    return plan.ok;
  }

  /** Answers the last (user) message of the conversation, streaming into a new reply. */
  async #reply(conversation: Conversation, target: ReplyTarget): Promise<void> {
    const model = target.model;
    const plan = planReply(conversation.systemPrompt, toTurns(conversation.messages), conversation.settings, model);
    if (!plan.ok) {
      this.error = plan.reason;
      return;
    }
    this.error = undefined;
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
      // Until the reply finishes: what a reload finds if the tab closes mid-reply.
      interrupted: true,
    });
    // The proxied element, so token appends below update the DOM.
    const reply = conversation.messages[conversation.messages.length - 1]!;
    this.#conversations.touch(conversation, { now: true });
    this.#lastForgotten = plan.droppedCount;
    this.streaming = true;
    this.announcement = 'Nook is replying…';
    const controller = new AbortController();
    this.#controller = controller;
    try {
      await this.#titles?.yieldEngine();
      const engine = await target.engine();
      reply.stats = await engine.chat(
        { messages: plan.messages, settings: plan.settings },
        {
          onToken: (token) => {
            reply.content += token;
            this.#conversations.touch(conversation);
          },
        },
        controller.signal,
      );
      this.announcement = `Nook replied: ${reply.content}`;
      if (reply.stats.finishReason !== 'aborted') this.#titles?.suggest(conversation);
    } catch (error) {
      if (error instanceof ServerError) {
        // The server failed, not this device: the local engine is untouched.
        if (error.failure === 'cut-off') reply.engineStopped = true;
        // Nothing came: no empty reply stays behind, the message waits for an answer. The save of
        // the reply's start lands first, so the merge sees the removal as this tab's own.
        if (!reply.content) {
          await this.#conversations.flush();
          conversation.messages = conversation.messages.filter((m) => m.id !== reply.id);
        }
        this.serverFailure = {
          message: error.message,
          host: target.sentTo?.host ?? '',
          offerLocal: conversation.server !== undefined && error.serverUnavailable,
        };
        this.announcement = '';
        return;
      }
      const engineError = toEngineError(error);
      // Another tab took the engine over mid-reply (TabState says so), or the engine was lost.
      const lost =
        engineError.code === 'worker-crashed' || engineError.code === 'device-lost' || this.#engine.elsewhere;
      // A lost engine is told app-wide (EngineState.fault, with what to do); the reply says where it stopped.
      if (lost) reply.engineStopped = true;
      this.error = lost && (this.#engine.fault || this.#engine.elsewhere) ? undefined : describeFailure(engineError);
      this.announcement = '';
    } finally {
      // Only a closed page leaves a reply marked interrupted; a stop or an error is shown as such.
      delete reply.interrupted;
      this.streaming = false;
      this.#controller = undefined;
      conversation.updatedAt = Date.now();
      this.#conversations.touch(conversation, { now: true });
    }
  }
}

const toTurns = (messages: readonly StoredMessage[]): ChatMessage[] =>
  messages.map(({ role, content }) => ({ role, content }));

function describeFailure(error: EngineError): string {
  switch (error.code) {
    case 'worker-crashed':
      return `${error.message} The reply so far is kept; load the model again to continue.`;
    default:
      return error.message;
  }
}
