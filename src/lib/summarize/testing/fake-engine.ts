/**
 * FakeEngine — an in-process stand-in for the real engine, for unit tests of the summarizer only
 * (the e2e suite always runs the real one). It "tokenizes" as llama.cpp would report: a fixed
 * template overhead plus `tokensPerByte` of the message bytes, refuses prompts longer than its
 * window with llama.cpp's own error text, and answers with a fixed reply cut to max_tokens.
 */

import { llamaError } from '../../engine/llama-errors';
import type { ChatRequest, CompletionStats, Engine, StreamCallbacks } from '../../engine/types';
import { utf8Length } from '../utf8';

export interface FakeEngineOptions {
  contextLength: number;
  /** Tokens per byte of message text (1 = byte tokenizer; 0.25 ≈ English BPE). */
  tokensPerByte?: number;
  /** Template tokens per request. */
  templateTokens?: number;
  /** The reply's words; each word is one token. */
  replyWords?: readonly string[];
  /** Runs before each answer (to abort mid-way, or to wait). */
  beforeReply?: (call: number, request: ChatRequest) => void | Promise<void>;
}

export interface FakeCall {
  prompt: string;
  promptTokens: number;
  maxTokens: number;
  refused: boolean;
}

export class FakeEngine implements Pick<Engine, 'chat'> {
  readonly calls: FakeCall[] = [];
  readonly #options: Required<Omit<FakeEngineOptions, 'beforeReply'>> & Pick<FakeEngineOptions, 'beforeReply'>;

  constructor(options: FakeEngineOptions) {
    this.#options = {
      tokensPerByte: 1,
      templateTokens: 4,
      replyWords: 'Nook runs entirely on your device, so nothing you type leaves it.'.split(' ').map((w) => `${w} `),
      ...options,
    };
  }

  async chat(request: ChatRequest, callbacks: StreamCallbacks, signal?: AbortSignal): Promise<CompletionStats> {
    const { contextLength, templateTokens, replyWords, beforeReply } = this.#options;
    const prompt = request.messages.map((message) => message.content).join('\n');
    const promptTokens = templateTokens + this.#tokenize(prompt);
    const refused = promptTokens > contextLength;
    this.calls.push({ prompt, promptTokens, maxTokens: request.settings.maxTokens, refused });
    if (refused) {
      // llama.cpp's own words, read by the same function the real engine's are.
      throw llamaError(
        `request (${promptTokens} tokens) exceeds the available context size (${contextLength} tokens), try increasing it`,
      );
    }
    await beforeReply?.(this.calls.length, request);
    const room = Math.min(request.settings.maxTokens, contextLength - promptTokens);
    let completionTokens = 0;
    let finishReason: CompletionStats['finishReason'] = 'length';
    for (; completionTokens < room; completionTokens++) {
      if (signal?.aborted) {
        finishReason = 'aborted';
        break;
      }
      callbacks.onToken(replyWords[completionTokens % replyWords.length]!);
    }
    return { promptTokens, completionTokens, timeToFirstTokenMs: 0, tokensPerSecond: 0, finishReason };
  }

  /** Reply words read back are one token each, as in a real vocabulary; other text by its bytes. */
  #tokenize(text: string): number {
    let rest = text;
    let tokens = 0;
    for (const word of [...new Set(this.#options.replyWords)].sort((a, b) => b.length - a.length)) {
      if (word.trim().length < 2) continue;
      const parts = rest.split(word);
      tokens += parts.length - 1;
      rest = parts.join('\u0000');
    }
    return tokens + Math.ceil(utf8Length(rest.replaceAll('\u0000', '')) * this.#options.tokensPerByte);
  }
}
