/**
 * The conversation on screen and the reply being written. Orchestration only: the prompt is fitted
 * by lib/chat/context, tokens come from the engine, and this class turns intents (send, stop)
 * into state the components render.
 */
import { DEFAULT_GENERATION, MIN_REPLY_TOKENS } from '../lib/chat/defaults';
import { fitConversationToContext } from '../lib/chat/context';
import { EngineError, toEngineError } from '../lib/engine/errors';
import type { ChatMessage, CompletionStats, LoadedModelInfo } from '../lib/engine/types';
import type { EngineState } from './engine.svelte';

export interface ShownMessage {
  id: string;
  role: 'user' | 'assistant';
  content: string;
  stats?: CompletionStats;
  /** Name, backend and device that wrote an assistant reply. */
  author?: Pick<LoadedModelInfo, 'name' | 'backend' | 'device'>;
}

export class ChatSession {
  messages = $state<ShownMessage[]>([]);
  streaming = $state(false);
  error = $state<string | undefined>(undefined);
  systemPrompt = $state('You are Nook, a helpful assistant running privately on this device.');
  /** Messages at the start of the conversation the model can no longer see. */
  forgottenCount = $state(0);
  #controller: AbortController | undefined;
  readonly #engine: EngineState;

  constructor(engine: EngineState) {
    this.#engine = engine;
  }

  async send(text: string): Promise<void> {
    const content = text.trim();
    const model = this.#engine.loaded;
    if (!content || this.streaming || !model) return;
    this.error = undefined;
    const history: ChatMessage[] = [
      { role: 'system', content: this.systemPrompt },
      ...this.messages.map(({ role, content }) => ({ role, content })),
      { role: 'user', content },
    ];
    const fitted = fitConversationToContext(history, {
      contextLength: model.contextLength,
      maxReplyTokens: DEFAULT_GENERATION.maxTokens,
      minReplyTokens: Math.min(MIN_REPLY_TOKENS, Math.floor(model.contextLength / 4)),
    });
    if (!fitted.fits) {
      this.error = `This message is too long for ${model.name ?? 'the model'}, which can read about ${model.contextLength} tokens at once. Shorten it, or load a model with a larger context.`;
      return;
    }

    this.messages.push({ id: crypto.randomUUID(), role: 'user', content });
    this.messages.push({
      id: crypto.randomUUID(),
      role: 'assistant',
      content: '',
      author: { name: model.name, backend: model.backend, device: model.device },
    });
    // The proxied element, so token appends below update the DOM.
    const reply = this.messages[this.messages.length - 1]!;
    this.forgottenCount = fitted.droppedCount;
    this.streaming = true;
    const controller = new AbortController();
    this.#controller = controller;
    try {
      reply.stats = await this.#engine.engine.chat(
        { messages: fitted.messages, settings: { ...DEFAULT_GENERATION, maxTokens: fitted.replyTokens } },
        { onToken: (token) => (reply.content += token) },
        controller.signal,
      );
    } catch (error) {
      const engineError = toEngineError(error);
      this.#engine.noteCrash(engineError);
      this.error = describeFailure(engineError);
    } finally {
      this.streaming = false;
      this.#controller = undefined;
    }
  }

  stop(): void {
    this.#controller?.abort();
  }
}

function describeFailure(error: EngineError): string {
  switch (error.code) {
    case 'worker-crashed':
      return `${error.message} The reply so far is kept; load the model again to continue.`;
    default:
      return error.message;
  }
}
