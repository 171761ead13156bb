/**
 * What every backend shares around one streamed reply: only one reply at a time per engine
 * ({@link ReplyGate}); its thinking kept apart from its answer, whether the engine split them
 * (`reasoning_content`) or left `<think>` tags in the text (think-split.ts); and timing it into
 * {@link CompletionStats} ({@link ReplyMeter}) from what the engine itself reported, falling back
 * to our own count of streamed pieces.
 */
import { EngineError } from './errors';
import { ThinkSplitter, type ThinkSink } from './think-split';
import type { CompletionStats, EngineToolCall, StreamCallbacks } from './types';

/** Counts the engine reported at the end of a reply; any may be missing. */
export interface ReportedCounts {
  promptTokens?: number;
  completionTokens?: number;
  /** The engine's own decode speed, tokens per second. */
  decodeRate?: number;
  /** The engine's own prompt processing speed, tokens per second. */
  prefillRate?: number;
  /** Prompt tokens taken from the engine's cache rather than read. */
  cachedPromptTokens?: number;
  /** Of the completion tokens, those spent thinking. */
  thinkingTokens?: number;
}

/**
 * The part of an OpenAI-style streamed choice the engines hand out. Thinking comes apart from the
 * answer as `reasoning_content` (llama.cpp, vLLM), `reasoning` (Ollama's OpenAI API, OpenRouter)
 * or `thinking` (Ollama's own), or not at all (web-llm: `<think>` stays in `content`).
 */
export interface StreamedChoice {
  delta: {
    content?: string | null;
    reasoning_content?: string | null;
    reasoning?: string | null;
    thinking?: string | null;
    /** A tool call streams in pieces by `index`: its id and name first, its arguments in parts. */
    tool_calls?: StreamedToolCall[] | null;
  };
  finish_reason?: string | null;
}

export interface StreamedToolCall {
  index?: number;
  id?: string;
  type?: string;
  function?: { name?: string; arguments?: string };
}

const NO_STREAM: StreamCallbacks = { onToken: () => undefined };

/** The thinking a streamed piece carries apart from its content, whichever field says it. */
const thinkingOf = (delta: StreamedChoice['delta']): string | null | undefined =>
  delta.reasoning_content || delta.reasoning || delta.thinking;

export class ReplyMeter {
  readonly #now: () => number;
  readonly #started: number;
  /** Where thinking and answer go, timed as they first come. */
  readonly #sink: ThinkSink;
  readonly #splitter: ThinkSplitter;
  #firstTokenAt: number | undefined;
  #streamed = 0;
  /** Streamed pieces that were thinking, and when the thinking began and the answer did. */
  #thought = 0;
  #thinkingAt: number | undefined;
  #answerAt: number | undefined;
  /** Tool calls as they stream, by index; told once the reply ends. */
  readonly #calls = new Map<number, { id: string; name: string; arguments: string }>();
  readonly #onToolCalls: StreamCallbacks['onToolCalls'];
  readonly #onToolCallStart: StreamCallbacks['onToolCallStart'];

  /** `callbacks` hear the answer and the thinking apart, as they stream. */
  constructor(callbacks: StreamCallbacks = NO_STREAM, now: () => number = () => performance.now()) {
    this.#now = now;
    this.#started = now();
    this.#onToolCalls = callbacks.onToolCalls?.bind(callbacks);
    this.#onToolCallStart = callbacks.onToolCallStart?.bind(callbacks);
    this.#sink = {
      thinking: (text) => {
        this.#thinkingAt ??= this.#now();
        callbacks.onThinking?.(text);
      },
      answer: (text) => {
        this.#answerAt ??= this.#now();
        callbacks.onToken(text);
      },
    };
    this.#splitter = new ThinkSplitter(this.#sink);
  }

  /** Call for every streamed piece of text (one token, as the engines stream). */
  token(): void {
    this.#firstTokenAt ??= this.#now();
    this.#streamed++;
  }

  /**
   * Forwards and counts one streamed choice's thinking and answer; true when the choice ended at
   * the token limit.
   */
  take(choice: StreamedChoice | undefined): boolean {
    const thinking = choice && thinkingOf(choice.delta);
    if (thinking) this.think(thinking);
    const text = choice?.delta.content;
    if (text) this.answer(text);
    const calls = choice?.delta.tool_calls;
    if (calls) for (const [position, piece] of calls.entries()) this.#toolCall(piece, position);
    return choice?.finish_reason === 'length';
  }

  /** One piece of a streamed tool call (web-llm sends each whole, at the end; llama.cpp in parts). */
  #toolCall(piece: StreamedToolCall, position: number): void {
    if (this.#calls.size === 0) this.token();
    // Without an index, a piece that names a tool where one is already named is another call.
    const named = piece.function?.name && this.#calls.get(position)?.name;
    const index = piece.index ?? (named ? this.#calls.size : position);
    const call = this.#calls.get(index) ?? { id: '', name: '', arguments: '' };
    if (piece.id) call.id = piece.id;
    const starts = !call.name && Boolean(piece.function?.name);
    if (piece.function?.name) call.name += piece.function.name;
    if (starts) this.#onToolCallStart?.(call.name);
    if (piece.function?.arguments) call.arguments += piece.function.arguments;
    this.#calls.set(index, call);
  }

  /** The tool calls the reply made, complete, in order; ids made up where the engine gave none. */
  get toolCalls(): EngineToolCall[] {
    return [...this.#calls.entries()]
      .sort(([a], [b]) => a - b)
      .filter(([, call]) => call.name)
      .map(([index, call]) => ({
        id: call.id || `call-${index}`,
        type: 'function' as const,
        function: { name: call.name, arguments: call.arguments },
      }));
  }

  /** One streamed piece of thinking the engine told apart from the answer. */
  think(text: string): void {
    this.token();
    this.#thought++;
    // Thinking the engine split off carries no tags: it goes straight through.
    this.#sink.thinking(text);
  }

  /** One streamed piece of the reply's text: the answer, or thinking still in `<think>` tags. */
  answer(text: string): void {
    this.token();
    this.#splitter.push(text);
    if (this.#splitter.part === 'thinking') this.#thought++;
  }

  /**
   * The reply's stats; the tool calls it made (if it was not stopped) are told first, and it
   * ends as 'tool_calls' whatever the engine said.
   */
  finish(reported: ReportedCounts, finishReason: CompletionStats['finishReason']): CompletionStats {
    this.#splitter.end();
    const calls = finishReason === 'aborted' ? [] : this.toolCalls;
    if (calls.length > 0) {
      this.#onToolCalls?.(calls);
      finishReason = 'tool_calls';
    }
    const first = this.#firstTokenAt;
    const tokens = reported.completionTokens ?? this.#streamed;
    const thinkingTokens = Math.min(tokens, reported.thinkingTokens ?? this.#thought);
    const thinkingAt = this.#thinkingAt;
    const decodeSeconds = first === undefined ? 0 : (this.#now() - first) / 1000;
    const measuredRate = decodeSeconds > 0 && tokens > 1 ? (tokens - 1) / decodeSeconds : 0;
    return {
      promptTokens: reported.promptTokens ?? 0,
      completionTokens: tokens,
      timeToFirstTokenMs: first === undefined ? 0 : first - this.#started,
      tokensPerSecond: reported.decodeRate ?? measuredRate,
      ...(reported.prefillRate === undefined ? {} : { prefillTokensPerSecond: reported.prefillRate }),
      ...(reported.cachedPromptTokens === undefined ? {} : { cachedPromptTokens: reported.cachedPromptTokens }),
      ...(thinkingAt === undefined
        ? {}
        : { thinkingTokens, thinkingMs: Math.max(0, (this.#answerAt ?? this.#now()) - thinkingAt) }),
      finishReason,
    };
  }
}

/** Refuses a second reply while one is being written. */
export class ReplyGate {
  #busy = false;

  async run<T>(write: () => Promise<T>): Promise<T> {
    if (this.#busy) throw new EngineError('busy', 'A reply is already being written.');
    this.#busy = true;
    try {
      return await write();
    } finally {
      this.#busy = false;
    }
  }
}
