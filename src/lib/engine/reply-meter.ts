/**
 * What both backends share around one streamed reply: only one reply at a time per engine
 * ({@link ReplyGate}), and timing it into {@link CompletionStats} ({@link ReplyMeter}) from what
 * the engine itself reported, falling back to our own count of streamed pieces.
 */
import { EngineError } from './errors';
import type { CompletionStats } from './types';

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
}

/** The part of an OpenAI-style streamed choice both engines hand out. */
export interface StreamedChoice {
  delta: { content?: string | null };
  finish_reason?: string | null;
}

export class ReplyMeter {
  readonly #now: () => number;
  readonly #started: number;
  #firstTokenAt: number | undefined;
  #streamed = 0;

  constructor(now: () => number = () => performance.now()) {
    this.#now = now;
    this.#started = now();
  }

  /** Call for every streamed piece of text. */
  token(): void {
    this.#firstTokenAt ??= this.#now();
    this.#streamed++;
  }

  /** Forwards and counts one streamed choice's text; true when the choice ended at the token limit. */
  take(choice: StreamedChoice | undefined, onToken: (text: string) => void): boolean {
    const text = choice?.delta.content;
    if (text) {
      this.token();
      onToken(text);
    }
    return choice?.finish_reason === 'length';
  }

  finish(reported: ReportedCounts, finishReason: CompletionStats['finishReason']): CompletionStats {
    const first = this.#firstTokenAt;
    const tokens = reported.completionTokens ?? this.#streamed;
    const decodeSeconds = first === undefined ? 0 : (this.#now() - first) / 1000;
    const measuredRate = decodeSeconds > 0 && tokens > 1 ? (tokens - 1) / decodeSeconds : 0;
    return {
      promptTokens: reported.promptTokens ?? 0,
      completionTokens: tokens,
      timeToFirstTokenMs: first === undefined ? 0 : first - this.#started,
      tokensPerSecond: reported.decodeRate ?? measuredRate,
      ...(reported.prefillRate === undefined ? {} : { prefillTokensPerSecond: reported.prefillRate }),
      ...(reported.cachedPromptTokens === undefined ? {} : { cachedPromptTokens: reported.cachedPromptTokens }),
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
