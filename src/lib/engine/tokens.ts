/**
 * Token counts for budgeting, without a tokenizer (wllama has none to call). The estimate starts
 * at the UTF-8 byte count, an upper bound for byte-level BPE, and is calibrated downward from the
 * prompt sizes llama.cpp reports after each call: the densest prompt seen so far (tokens per
 * byte), plus a margin, and never above one token per byte; a chat template heavier than assumed
 * is learned as a fixed overhead. When text denser than anything seen
 * before still overflows, the engine refuses it with a context error; the pipeline re-splits the
 * piece and calls {@link TokenEstimator.observe} with the count the error reported.
 */
import { EngineError, type TokenCounts } from './errors';
import { utf8Length } from '../shared/utf8';

/** Calibrated factors never go below this (no tokenizer averages more than 6 bytes a token). */
const MIN_TOKENS_PER_BYTE = 1 / 6;

export class TokenEstimator {
  #densest = 0;
  #factor = 1;
  #overhead: number;
  readonly #margin: number;

  /**
   * @param overheadTokens what the chat template adds to a one-message prompt, at first.
   * @param margin extra share added to the densest ratio seen (0.25 = 25 %).
   */
  constructor(overheadTokens = 16, margin = 0.25) {
    this.#overhead = overheadTokens;
    this.#margin = margin;
  }

  /** Template tokens around a one-message prompt (learned upward when a template is heavier). */
  get overheadTokens(): number {
    return this.#overhead;
  }

  /** Estimated tokens per UTF-8 byte (1 until calibrated). */
  get tokensPerByte(): number {
    return this.#factor;
  }

  tokens(text: string): number {
    return this.tokensForBytes(utf8Length(text));
  }

  tokensForBytes(bytes: number): number {
    return Math.ceil(bytes * this.#factor);
  }

  /** The most bytes of text that `tokens` tokens can hold by this estimate. */
  bytesFor(tokens: number): number {
    return Math.max(0, Math.floor(tokens / this.#factor));
  }

  /**
   * Learns from a finished (or refused) request: `promptBytes` of message text became
   * `promptTokens` tokens (llama.cpp's count, template included, so the ratio errs high).
   */
  observe(promptBytes: number, promptTokens: number): void {
    if (!(promptBytes > 0 && promptTokens > 0)) return;
    this.#densest = Math.max(this.#densest, promptTokens / promptBytes);
    this.#factor = Math.min(1, Math.max(MIN_TOKENS_PER_BYTE, this.#densest * (1 + this.#margin)));
    // A template that adds more than assumed (a long built-in system text, say) is a fixed cost.
    const unexplained = promptTokens - this.tokensForBytes(promptBytes);
    if (unexplained > this.#overhead) this.#overhead = unexplained + 2;
  }
}

export type ContextOverflow = TokenCounts;

/** The engine's refusal of a prompt longer than the window, with its counts where it said them. */
export function contextOverflowOf(error: unknown): ContextOverflow | undefined {
  if (!(error instanceof EngineError) || error.code !== 'context-overflow') return undefined;
  return error.tokens ?? {};
}
