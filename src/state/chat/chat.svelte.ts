/**
 * Replies in the open conversation. Orchestration only: the prompt is planned by lib/chat/prompt
 * (or, with documents attached, by lib/documents through ChatGrounding), tokens come from the
 * engine, conversations are kept by ConversationsState, and this class turns intents (send, stop,
 * regenerate, edit and resend, delete, move between versions, which model answers) into state the
 * components render. Regenerating and editing never overwrite: the old version stays beside the
 * new one (lib/chat/versions.ts).
 */
import { untrack } from 'svelte';
import { titleFromText, type Conversation, type ServerModelRef, type StoredMessage } from '../../lib/chat/conversation';
import { forgottenBeforeLastReply, planReply } from '../../lib/chat/prompt';
import { toTurns, userMessage } from '../../lib/chat/reply';
import {
  applyTree,
  branchFrom,
  deleteMessage,
  showVersion,
  versionPlaces,
  type VersionPlace,
} from '../../lib/chat/versions';
import { usesTools } from '../../lib/chat/tools-choice';
import { loadToolRegistry } from './tool-registry';
import type { ChatMessage, ModelAbilities } from '../../lib/engine/types';
import type { ChatGrounding, GroundingSearch } from './grounding';
import type { ConversationsState } from './conversations.svelte';
import type { EngineState } from '../engine/engine.svelte';
import type { ReplyWriterState, ServerFailureNotice } from './reply-writer.svelte';
import { replyTarget, serverTarget, type ReplyTarget } from './reply-target';
import type { ServersState } from '../servers/servers.svelte';
import type { TitleWriter } from './titles';
import type { MemoryState } from '../memory/memory.svelte';

export type { ServerFailureNotice };

const NO_VERSIONS: ReadonlyMap<string, VersionPlace> = new Map();

export class ChatState {
  /** The attached documents are being searched for the message just sent. */
  searching = $state(false);
  error = $state<string | undefined>(undefined);
  /** Loaded after start-up (or by the first reply): writing replies is not the first paint's work. */
  #writer = $state.raw<ReplyWriterState | undefined>(undefined);
  #writerLoad: Promise<ReplyWriterState> | undefined;
  readonly #makeWriter: (module: typeof import('./reply-writer.svelte')) => ReplyWriterState;
  readonly #engine: EngineState;
  readonly #conversations: ConversationsState;
  readonly #servers: ServersState | undefined;
  /** Loaded after the first paint, with the Documents store. */
  readonly #grounding: (() => Promise<ChatGrounding>) | undefined;
  readonly #memory: MemoryState | undefined;

  constructor(
    engine: EngineState,
    conversations: ConversationsState,
    titles?: TitleWriter,
    servers?: ServersState,
    grounding?: () => Promise<ChatGrounding>,
    memory?: MemoryState,
  ) {
    this.#engine = engine;
    this.#memory = memory;
    this.#conversations = conversations;
    this.#servers = servers;
    this.#grounding = grounding;
    // The document tool searches through the Documents store, loaded (with it) on its first call.
    const documentSearch = grounding
      ? async (query: string, from: number) => (await grounding()).searchForTool(query, from)
      : undefined;
    this.#makeWriter = ({ ReplyWriterState }) =>
      new ReplyWriterState(engine, conversations, titles, (message) => (this.error = message), documentSearch, memory);
    // A model newly loaded reads the open conversation ahead of the user's next message.
    $effect.root(() => {
      $effect(() => {
        if (this.#engine.loaded) untrack(() => this.prepareNextReply());
      });
    });
  }

  /**
   * Loads what writes replies (once; a failed load is tried again by the next call). The page
   * calls it after start-up, so the first reply's request still leaves in the task of its Enter.
   */
  loadWriter(): Promise<ReplyWriterState> {
    return (this.#writerLoad ??= import('./reply-writer.svelte').then(
      (module) => (this.#writer = this.#makeWriter(module)),
      (error: unknown) => {
        this.#writerLoad = undefined;
        throw error;
      },
    ));
  }

  get streaming(): boolean {
    return this.#writer?.streaming ?? false;
  }
  /** The last reply from a server model failed (see {@link ServerFailureNotice}). */
  get serverFailure(): ServerFailureNotice | undefined {
    return this.#writer?.serverFailure;
  }
  /** The tool the model is writing a call to, while it writes it. */
  get callingTool(): string | undefined {
    return this.#writer?.callingTool;
  }
  /** The reply being written, for the polite live region (announced when done, not per token). */
  get announcement(): string {
    return this.#writer?.announcement ?? '';
  }
  get #busy(): boolean {
    return this.streaming || this.searching;
  }

  /** The server model the open conversation runs on, if it runs on one (and it is still there). */
  get server() {
    return this.#servers?.choice(this.#conversations.active?.server);
  }

  /** What the model that answers the open conversation can do (think, be told not to), where known. */
  get abilities(): ModelAbilities {
    return this.#target(this.#conversations.active)?.model.abilities ?? {};
  }

  /** Whether a message sent now has a model to answer it (local, or the conversation's server). */
  get canReply(): boolean {
    return this.#target(this.#conversations.active) !== undefined;
  }

  /** Runs the open conversation on a server model from now on (explicit: the user's pick). */
  useServer(ref: ServerModelRef): void {
    const conversation = this.#conversations.active;
    if (!conversation || this.#busy) return;
    conversation.server = { serverId: ref.serverId, modelId: ref.modelId };
    this.#writer?.clearServerFailure();
    this.#conversations.touch(conversation, { now: true });
  }

  /**
   * Back to the model on this device; the conversation and every reply stay as they are. A
   * message the server left unanswered is answered here, when a local model is loaded.
   */
  async useLocal(): Promise<void> {
    const conversation = this.#conversations.active;
    this.#writer?.clearServerFailure();
    if (!conversation || this.#busy) return;
    if (conversation.server) {
      delete conversation.server;
      this.#conversations.touch(conversation, { now: true });
    }
    const target = this.#target(conversation);
    const turns = toTurns(conversation.messages);
    if (target && turns.at(-1)?.role === 'user') await this.#answer(conversation, turns, target, () => {});
  }

  /** Writes the last reply again on a server model, for this one reply only. */
  askServer(ref: ServerModelRef): Promise<void> {
    const target = serverTarget(ref, this.#servers);
    return target ? this.#rewriteLast(target) : Promise.resolve();
  }

  get messages(): StoredMessage[] {
    return this.#conversations.active?.messages ?? [];
  }

  /** Where each shown message that has other versions stands among them ("2 / 3"). */
  readonly versions = $derived.by((): ReadonlyMap<string, VersionPlace> => {
    const conversation = this.#conversations.active;
    return conversation ? versionPlaces(conversation) : NO_VERSIONS;
  });

  /** Shows the message's version `step` away (-1 the one before, 1 the next), with what followed it. */
  showVersion(messageId: string, step: number): void {
    const conversation = this.#conversations.active;
    if (!conversation || this.#busy) return;
    const tree = showVersion(conversation, messageId, step);
    if (!tree) return;
    applyTree(conversation, tree);
    this.#conversations.touch(conversation, { now: true });
  }

  /** Messages at the start of the conversation the model did not see for the last reply. */
  readonly forgottenCount = $derived.by(() => {
    // Read nothing else while streaming: this must not recompute per token.
    if (this.streaming) return this.#writer?.lastForgotten ?? 0;
    const conversation = this.#conversations.active;
    const model = this.#target(conversation)?.model;
    if (!conversation || !model) return 0;
    const { systemPrompt, messages, settings } = conversation;
    return forgottenBeforeLastReply(systemPrompt, messages, settings, model.contextLength);
  });

  /**
   * Sends a message; false when it was refused (the draft should stay). `onReply` hears the id of
   * the reply as soon as it exists, while it streams (voice mode reads it aloud from there).
   */
  async send(text: string, onReply?: (id: string) => void): Promise<boolean> {
    const content = text.trim();
    if (!content || this.#busy) return false;
    const onServer = this.#conversations.active?.server !== undefined;
    // The engine was lost under the model: sending loads it again in a fresh worker first.
    if (!onServer && !this.#engine.loaded && this.#engine.canRecover && !(await this.#engine.recover())) return false;
    const conversation = this.#conversations.active;
    const target = this.#target(conversation);
    if (!target || !conversation) return false;
    const turns = [...toTurns(conversation.messages), { role: 'user' as const, content }];
    return this.#answer(
      conversation,
      turns,
      target,
      () => {
        conversation.messages.push(userMessage(content, target.sentTo));
        if (!conversation.title) conversation.title = titleFromText(content);
      },
      onReply,
    );
  }

  /**
   * The loaded model reads the open conversation (system prompt and history) as the next reply's
   * prompt will begin, while the user writes their message: on a small device that turns the
   * first reply's wait for its prompt into one for the new message only. For the local model,
   * never while a reply is written.
   */
  prepareNextReply(): void {
    const conversation = this.#conversations.active;
    const model = this.#engine.loaded;
    if (!model || !conversation || this.#busy || conversation.server || conversation.attachments?.length) return;
    const turns = [...toTurns(conversation.messages), { role: 'user' as const, content: '' }];
    const plan = planReply(conversation.systemPrompt, turns, conversation.settings, model);
    if (!plan.ok) return;
    // A reply with tools has them in its prompt (its template renders them first): read them too.
    if (!usesTools(conversation, model)) return void this.#engine.prepare(plan.messages);
    const memoryOn = this.#memory?.enabled ?? false;
    void loadToolRegistry().then(
      ({ toolsFor, WITHOUT_MEMORY }) =>
        this.#engine.prepare(plan.messages, toolsFor(memoryOn ? undefined : WITHOUT_MEMORY)),
      () => undefined,
    );
  }

  /** Remembers a message's text (as the user edited it) across chats; the reason when refused. */
  async rememberMessage(messageId: string, text: string): Promise<{ ok: true } | { ok: false; reason: string }> {
    const conversation = this.#conversations.active;
    if (!this.#memory || !conversation) return { ok: false, reason: 'Memory is not available here.' };
    return this.#memory.remember(text, { conversationId: conversation.id, messageId });
  }

  /**
   * The user's answer to a fact the model offered to remember in a reply: accepted, it is stored;
   * declined, it is not, and neither is asked again.
   */
  async answerProposal(messageId: string, index: number, accept: boolean): Promise<void> {
    const conversation = this.#conversations.active;
    const proposal = conversation?.messages.find((m) => m.id === messageId)?.proposals?.[index];
    if (!conversation || !proposal || proposal.answer) return;
    if (!accept) proposal.answer = 'declined';
    else {
      const stored = await this.#memory?.remember(proposal.text, { conversationId: conversation.id, messageId });
      if (!stored?.ok || !stored.id) {
        this.error = stored && !stored.ok ? stored.reason : 'Memory is not available here.';
        return;
      }
      proposal.answer = { remembered: stored.id };
    }
    this.#conversations.touch(conversation, { now: true });
  }

  /** Writes the last reply again. */
  regenerate(): Promise<void> {
    const target = this.#target(this.#conversations.active);
    return target ? this.#rewriteLast(target) : Promise.resolve();
  }

  /**
   * A new version of a user message, answered; the old one stays, with everything that followed
   * it, one version back.
   */
  async editAndResend(messageId: string, text: string): Promise<boolean> {
    const conversation = this.#conversations.active;
    const content = text.trim();
    if (!conversation || this.#busy || !content) return false;
    const index = conversation.messages.findIndex((m) => m.id === messageId && m.role === 'user');
    if (index < 0) return false;
    const kept = conversation.messages.slice(0, index);
    const target = this.#target(conversation);
    const turns = [...toTurns(kept), { role: 'user' as const, content }];
    if (!target) return false;
    return this.#answer(conversation, turns, target, () => {
      applyTree(conversation, branchFrom(conversation, index));
      conversation.messages.push(userMessage(content, target.sentTo));
    });
  }

  /** Deletes a message; a version goes with what followed it (lib/chat/versions.ts). */
  deleteMessage(messageId: string): void {
    const conversation = this.#conversations.active;
    if (!conversation || this.#busy) return;
    applyTree(conversation, deleteMessage(conversation, messageId));
    this.#conversations.touch(conversation, { now: true });
  }

  stop(): void {
    this.#writer?.stop();
  }

  /**
   * The last reply, written again by `target` as a new version; the old one stays shown until the
   * new one starts, and one version back after.
   */
  async #rewriteLast(target: ReplyTarget): Promise<void> {
    const conversation = this.#conversations.active;
    if (!conversation || this.#busy || conversation.messages.at(-1)?.role !== 'assistant') return;
    const last = conversation.messages.length - 1;
    await this.#answer(conversation, toTurns(conversation.messages.slice(0, last)), target, () => {
      applyTree(conversation, branchFrom(conversation, last));
    });
  }

  /**
   * Plans the reply to `turns` and grounds it; only when neither refuses (the refusal is shown and
   * the conversation left as it was) does `commit` change the conversation and the reply get written.
   */
  async #answer(
    conversation: Conversation,
    turns: ChatMessage[],
    target: ReplyTarget,
    commit: () => void,
    onReply?: (id: string) => void,
  ): Promise<boolean> {
    if (!this.#check(conversation, turns, target)) return false;
    const grounding = await this.#ground(conversation, turns);
    if (grounding && 'refused' in grounding) return false;
    const writer = this.#writer ?? (await this.loadWriter());
    commit();
    await writer.write(conversation, target, { grounded: grounding?.found, onReply });
    return true;
  }

  #target(conversation: Conversation | undefined): ReplyTarget | undefined {
    return replyTarget(conversation, this.#engine, this.#servers);
  }

  /** Plans the reply for `turns`; shows the refusal when it cannot be answered. */
  #check(conversation: Conversation, turns: ChatMessage[], target: ReplyTarget): boolean {
    const plan = planReply(conversation.systemPrompt, turns, conversation.settings, target.model);
    this.error = plan.ok ? undefined : plan.reason;
    return plan.ok;
  }

  /** With documents attached: their passages for `turns`, or the refusal (shown) when none match. */
  async #ground(conversation: Conversation, turns: ChatMessage[]): Promise<GroundingSearch> {
    if (!this.#grounding || !conversation.attachments?.length) return undefined;
    this.searching = true;
    try {
      const search = await (await this.#grounding()).search(conversation, turns);
      if (search && 'refused' in search) this.error = search.refused;
      return search;
    } catch (error) {
      const refused = `The attached documents could not be searched: ${error instanceof Error ? error.message : String(error)}`;
      this.error = refused;
      return { refused };
    } finally {
      this.searching = false;
    }
  }
}
