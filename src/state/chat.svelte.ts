/**
 * Replies in the open conversation. Orchestration only: the prompt is planned by lib/chat/prompt,
 * tokens come from the engine, conversations are kept by ConversationStore, and this class turns
 * intents (send, stop, regenerate, edit and resend, delete) into state the components render.
 */
import { titleFromText, type Conversation, type StoredMessage } from '../lib/chat/conversation';
import { forgottenBeforeLastReply, planReply } from '../lib/chat/prompt';
import { EngineError, toEngineError } from '../lib/engine/errors';
import type { ChatMessage } from '../lib/engine/types';
import type { ConversationStore } from './conversations.svelte';
import type { EngineState } from './engine.svelte';
import type { TitleWriter } from './titles';

export class ChatSession {
  streaming = $state(false);
  error = $state<string | undefined>(undefined);
  /** The reply being written, for the polite live region (announced when done, not per token). */
  announcement = $state('');
  #controller: AbortController | undefined;
  readonly #engine: EngineState;
  readonly #conversations: ConversationStore;
  readonly #titles: TitleWriter | undefined;

  constructor(engine: EngineState, conversations: ConversationStore, titles?: TitleWriter) {
    this.#engine = engine;
    this.#conversations = conversations;
    this.#titles = titles;
  }

  get messages(): StoredMessage[] {
    return this.#conversations.active?.messages ?? [];
  }

  /** Messages at the start of the conversation the model did not see for the last reply. */
  readonly forgottenCount = $derived.by(() => {
    // Read nothing else while streaming: this must not recompute per token.
    if (this.streaming) return this.#lastForgotten;
    const conversation = this.#conversations.active;
    const model = this.#engine.loaded;
    if (!conversation || !model) return 0;
    const { systemPrompt, messages, settings } = conversation;
    return forgottenBeforeLastReply(systemPrompt, toTurns(messages), settings, model.contextLength);
  });
  #lastForgotten = 0;

  /** Sends a message; false when it was refused (the draft should stay). */
  async send(text: string): Promise<boolean> {
    const content = text.trim();
    if (!content || this.streaming) return false;
    // The engine was lost under the model: sending loads it again in a fresh worker first.
    if (!this.#engine.loaded && this.#engine.canRecover && !(await this.#engine.recover())) return false;
    const conversation = this.#conversations.active;
    if (!this.#engine.loaded || !conversation) return false;
    const turns = [...toTurns(conversation.messages), { role: 'user' as const, content }];
    if (!this.#check(conversation, turns)) return false;
    conversation.messages.push({ id: crypto.randomUUID(), role: 'user', content, createdAt: Date.now() });
    if (!conversation.title) conversation.title = titleFromText(content);
    await this.#reply(conversation);
    return true;
  }

  /** Writes the last reply again. */
  async regenerate(): Promise<void> {
    const conversation = this.#conversations.active;
    if (!conversation || this.streaming || conversation.messages.at(-1)?.role !== 'assistant') return;
    const kept = conversation.messages.slice(0, -1);
    if (!this.#check(conversation, toTurns(kept))) return;
    conversation.messages = kept;
    await this.#reply(conversation);
  }

  /** Replaces a user message and everything after it, then answers the new text. */
  async editAndResend(messageId: string, text: string): Promise<boolean> {
    const conversation = this.#conversations.active;
    const content = text.trim();
    if (!conversation || this.streaming || !content) return false;
    const index = conversation.messages.findIndex((m) => m.id === messageId && m.role === 'user');
    if (index < 0) return false;
    const kept = conversation.messages.slice(0, index);
    if (!this.#check(conversation, [...toTurns(kept), { role: 'user', content }])) return false;
    conversation.messages = [...kept, { id: crypto.randomUUID(), role: 'user', content, createdAt: Date.now() }];
    await this.#reply(conversation);
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

  /** Plans the reply for `turns`; shows the refusal when it cannot be answered. */
  #check(conversation: Conversation, turns: ChatMessage[]): boolean {
    const model = this.#engine.loaded;
    if (!model) return false;
    const plan = planReply(conversation.systemPrompt, turns, conversation.settings, model);
    this.error = plan.ok ? undefined : plan.reason;
    return plan.ok;
  }

  /** Answers the last (user) message of the conversation, streaming into a new reply. */
  async #reply(conversation: Conversation): Promise<void> {
    const model = this.#engine.loaded;
    if (!model) return;
    const plan = planReply(conversation.systemPrompt, toTurns(conversation.messages), conversation.settings, model);
    if (!plan.ok) {
      this.error = plan.reason;
      return;
    }
    this.error = undefined;
    conversation.modelId = model.modelId;
    conversation.updatedAt = Date.now();
    conversation.messages.push({
      id: crypto.randomUUID(),
      role: 'assistant',
      content: '',
      createdAt: Date.now(),
      author: { name: model.name, backend: model.backend, device: model.device },
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
      reply.stats = await this.#engine.chat(
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
