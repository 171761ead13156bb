/**
 * FakeEngine, the one fake engine of the unit tests (the e2e suite always runs the real ones): an
 * in-process {@link Engine} with no model. It "tokenizes" as llama.cpp would report (a template
 * overhead plus `tokensPerByte` of the message bytes), refuses a prompt longer than its window
 * with llama.cpp's own words, and answers with fixed words cut to the token limit, or echoes the
 * last message back. It records every call. `fakeWorker`/`connect` serve it over a real
 * MessageChannel, as a worker would be, for the page-side proxy and the stores above it.
 */
import { EngineError } from '../errors';
import { llamaError } from '../llama-errors';
import { serveEngine } from '../engine-serve';
import type {
  ChatRequest,
  CompletionStats,
  Engine,
  EngineCache,
  LoadedModelInfo,
  LoadOptions,
  LoadProgress,
  ModelSource,
  StreamCallbacks,
} from '../types';
import { WorkerEngine, type WorkerEngineOptions } from '../engine-client';
import { ChannelWorker } from '../../shared/testing/channel-worker';

export interface FakeEngineOptions {
  /** The window, in tokens: what a load reports, and the longest prompt plus reply it takes. */
  contextLength?: number;
  /** A load that had memory only for `contextLength` reports this window as the one asked for. */
  wantedContextLength?: number;
  /** Tokens per byte of message text (1 = byte tokenizer; 0.25 ≈ English BPE). */
  tokensPerByte?: number;
  /** Template tokens per request. */
  templateTokens?: number;
  /** The reply's words, one token each, repeated until the token limit or the window is full. */
  replyWords?: readonly string[];
  /** Answer with the last message's words instead, once each (then the reply ends with 'stop'). */
  echo?: boolean;
  /** Milliseconds between tokens, so a Stop sent over a channel lands mid-reply (default: none). */
  tokenDelayMs?: number;
  /** Runs before each answer (to abort mid-way, or to wait). */
  beforeReply?: (call: number, request: ChatRequest) => void | Promise<void>;
}

/** One chat call, as the fake saw it. */
export interface FakeCall {
  prompt: string;
  promptTokens: number;
  maxTokens: number;
  refused: boolean;
}

const bytes = new TextEncoder();
const DEFAULT_REPLY = 'Nook runs entirely on your device, so nothing you type leaves it.'
  .split(' ')
  .map((w) => `${w} `);

export class FakeEngine implements Engine, EngineCache {
  /** Every chat call, in order. */
  readonly calls: FakeCall[] = [];
  /** Every method called, in order: `load <id>`, `chat`, `unload`, `delete <id>`. */
  readonly log: string[] = [];
  disposed = false;
  readonly #options: Required<Omit<FakeEngineOptions, 'beforeReply' | 'wantedContextLength'>> &
    Pick<FakeEngineOptions, 'beforeReply' | 'wantedContextLength'>;

  constructor(options: FakeEngineOptions = {}) {
    this.#options = {
      contextLength: 4096,
      tokensPerByte: 1,
      templateTokens: 4,
      replyWords: DEFAULT_REPLY,
      echo: false,
      tokenDelayMs: 0,
      ...options,
    };
  }

  /** How many loads were asked for. */
  get loads(): number {
    return this.log.filter((entry) => entry.startsWith('load ')).length;
  }

  /** A source with the id `missing` is not stored: the load fails as a real one would. */
  async load(source: ModelSource, _options: LoadOptions, onProgress: (progress: LoadProgress) => void) {
    this.log.push(`load ${source.id}`);
    if (source.id === 'missing') throw new EngineError('model-not-found', 'No such model.');
    onProgress({ phase: 'reading' });
    onProgress({ phase: 'ready', fraction: 1 });
    const info: LoadedModelInfo = {
      modelId: source.id,
      backend: source.backend,
      device: 'cpu',
      threads: 1,
      contextLength: this.#options.contextLength,
      ...(this.#options.wantedContextLength ? { wantedContextLength: this.#options.wantedContextLength } : {}),
      loadLog: [],
    };
    return info;
  }

  async chat(request: ChatRequest, callbacks: StreamCallbacks, signal?: AbortSignal): Promise<CompletionStats> {
    this.log.push('chat');
    const { contextLength, templateTokens, echo, tokenDelayMs, beforeReply } = this.#options;
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
    const words = echo ? (request.messages.at(-1)?.content.split(' ') ?? []) : this.#options.replyWords;
    const room = Math.min(request.settings.maxTokens, contextLength - promptTokens);
    let completionTokens = 0;
    let finishReason: CompletionStats['finishReason'] = 'length';
    for (; completionTokens < room; completionTokens++) {
      if (signal?.aborted) {
        finishReason = 'aborted';
        break;
      }
      if (echo && completionTokens === words.length) {
        finishReason = 'stop';
        break;
      }
      callbacks.onToken(words[completionTokens % words.length]!);
      if (tokenDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, tokenDelayMs));
    }
    return { promptTokens, completionTokens, timeToFirstTokenMs: 0, tokensPerSecond: 0, finishReason };
  }

  async unload() {
    this.log.push('unload');
  }

  async deleteCached(source: ModelSource) {
    this.log.push(`delete ${source.id}`);
  }

  dispose() {
    this.disposed = true;
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
    return tokens + Math.ceil(bytes.encode(rest.replaceAll('\u0000', '')).length * this.#options.tokensPerByte);
  }
}

/** Joins a WorkerEngine to serveEngine over a MessageChannel, standing in for a real Worker. */
export function connect(engine: Engine, options: WorkerEngineOptions = {}) {
  const created: ChannelWorker[] = [];
  const proxy = new WorkerEngine(fakeWorker(engine, created), options);
  return { proxy, created };
}

/** A `() => Worker` whose worker is `engine` served over a MessageChannel (see `connect`). */
export function fakeWorker(engine: Engine, created: ChannelWorker[] = []): () => ChannelWorker {
  return () => {
    const worker = new ChannelWorker((port) => serveEngine(port, engine));
    created.push(worker);
    return worker;
  };
}
