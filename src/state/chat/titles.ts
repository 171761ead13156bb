/**
 * Model-written conversation titles. After a conversation's first reply, when the first message is
 * too long to be a title, the loaded model is asked, in the background, for a short title that replaces the first-message one. It never holds up
 * the user: any other use of the engine (a new message, a summary) first calls
 * {@link TitleWriter.yieldEngine}, which abandons the title and keeps the first-message one.
 */
import { titleFromText, type Conversation } from '../../lib/chat/conversation';
import {
  cleanModelTitle,
  needsModelTitle,
  TITLE_FORMAT,
  TITLE_JSON_TOKENS,
  titleFromReply,
  titlePrompt,
  TITLE_REPLY_TOKENS,
} from '../../lib/chat/title';
import { isAbortError } from '../../lib/engine/errors';
import type { ConversationsState } from './conversations.svelte';
import type { EngineState } from '../engine/engine.svelte';

export class TitleWriter {
  readonly #engine: EngineState;
  readonly #conversations: ConversationsState;
  #pending: { controller: AbortController; done: Promise<void> } | undefined;

  constructor(engine: EngineState, conversations: ConversationsState) {
    this.#engine = engine;
    this.#conversations = conversations;
  }

  /** Asks for a title when `conversation` has just had its first reply and still has its first-message title. */
  suggest(conversation: Conversation): void {
    const [first, reply, ...rest] = conversation.messages;
    const model = this.#engine.loaded;
    if (!model || rest.length > 0 || first?.role !== 'user' || reply?.role !== 'assistant') return;
    if (!needsModelTitle(first.content)) return;
    const fallback = titleFromText(first.content);
    if (conversation.title !== fallback || !reply.content.trim() || this.#pending) return;
    // A model made for tool calls follows a JSON schema: its title comes as {"title": "…"},
    // which the engine's grammar holds it to. Others are read as text.
    const structured = model.abilities?.tools === true;
    const maxTokens = structured ? TITLE_JSON_TOKENS : TITLE_REPLY_TOKENS;
    const messages = titlePrompt(first.content, reply.content, model.contextLength, { json: structured });
    if (!messages) return;

    const controller = new AbortController();
    const done = (async () => {
      let text = '';
      try {
        const stats = await this.#engine.chat(
          {
            messages,
            // A model that can turn thinking off writes its title without: its few tokens are the title.
            settings: { temperature: 0.2, topP: 0.9, maxTokens, think: false },
            ...(structured ? { format: TITLE_FORMAT } : {}),
          },
          { onToken: (token) => (text += token) },
          controller.signal,
        );
        const read = structured ? titleFromReply : cleanModelTitle;
        const title = stats.finishReason === 'aborted' ? undefined : read(text);
        // The user may have renamed it meanwhile: theirs wins.
        if (title && conversation.title === fallback) this.#conversations.rename(conversation.id, title);
      } catch (error) {
        // Best effort: the first-message title stays. Not shown to the user, who did not ask.
        if (!isAbortError(error)) console.warn('No model-written title; keeping the first-message one.', error);
      } finally {
        if (this.#pending?.controller === controller) this.#pending = undefined;
      }
    })();
    this.#pending = { controller, done };
  }

  /** A title is being written (the engine is busy with it). */
  get writing(): boolean {
    return this.#pending !== undefined;
  }

  /** Frees the engine: a title being written is abandoned (and the first-message title kept). */
  async yieldEngine(): Promise<void> {
    const pending = this.#pending;
    if (!pending) return;
    pending.controller.abort();
    await pending.done;
  }
}
