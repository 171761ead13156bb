/**
 * Summarizing a text of any length with a model whose window is small (map-reduce):
 *
 * 1. A text that fits the window with room for the answer gets one streamed call.
 * 2. Otherwise it is cut into pieces that each fit (lib/shared/chunk), and each piece is
 *    summarized in a few sentences (map; short replies keep it fast).
 * 3. The partial summaries are merged, a window-full at a time, level after level (reduce), until
 *    they fit one last streamed call shaped by the user's options.
 *
 * Budgets use a {@link TokenEstimator} that never undercounts before calibration and is
 * calibrated from llama.cpp's own prompt counts. If a prompt still overflows, the engine refuses
 * it and the piece is re-split smaller and retried. Every call takes the AbortSignal; a stop
 * rejects with an `AbortError` (see `isAbortError`). Plain TypeScript: the app's state class and a benchmark
 * call it the same way.
 */
import { MESSAGE_OVERHEAD_TOKENS, REPLY_PRIMER_TOKENS } from '../chat/context';
import { abortError } from '../engine/errors';
import type { ChatMessage, CompletionStats, Engine } from '../engine/types';
import { chunkText, splitText, type Chunk } from '../shared/chunk';
import { SummarizeError } from './errors';
import type { SummaryOptions } from './options';
import {
  buildPrompt,
  finalInstruction,
  finalReplyTokens,
  partialInstructions,
  partialReplyTokens,
  type PartialInstructions,
  safetyMarginTokens,
  SUMMARY_SEPARATOR,
} from './prompts';
import { contextOverflowOf, TokenEstimator } from '../engine/tokens';
import { utf8Length } from '../shared/utf8';

/** Template tokens of a one-message prompt and the reply primer. */
const PROMPT_OVERHEAD_TOKENS = MESSAGE_OVERHEAD_TOKENS + REPLY_PRIMER_TOKENS;
/** Share of a piece repeated at the start of the next one. */
const OVERLAP_SHARE = 0.06;
/** A piece this small that still overflows means the window cannot hold the instructions. */
const SMALLEST_PIECE_BYTES = 24;
const MAX_REDUCE_LEVELS = 16;
/** Chunks planned between two pauses that let the page paint (a 5 MB text has tens of thousands). */
const PLAN_BATCH = 400;

export interface SummarizeInput {
  text: string;
  options: SummaryOptions;
  /** The loaded model's window, in tokens. */
  contextLength: number;
}

export type SummarizeStage = 'reading' | 'combining' | 'writing';

export interface SummarizeProgress {
  stage: SummarizeStage;
  /** 1-based part in progress, of `total` in this stage (total may grow when a piece is re-split). */
  part: number;
  total: number;
  /** Reduce level (1 = first merge of partial summaries); 0 while reading and for a direct summary. */
  level: number;
}

export interface SummarizeHooks {
  engine: Pick<Engine, 'chat'>;
  signal?: AbortSignal;
  onProgress?: (progress: SummarizeProgress) => void;
  /** Tokens of the final, streamed pass. */
  onToken?: (text: string) => void;
  /** Keep one per model to reuse its calibration across documents. */
  estimator?: TokenEstimator;
  /** Lets the page paint during long planning; default: a macrotask. */
  pause?: () => Promise<void>;
}

export interface SummarizeResult {
  text: string;
  finishReason: CompletionStats['finishReason'];
  /** Engine calls made, successful or refused. */
  calls: number;
  /** Pieces of the document summarized in the map stage (0 for a direct summary). */
  pieces: number;
  /** Reduce levels before the final pass. */
  reduceLevels: number;
  /** Prompts the engine refused as too long and that were re-split. */
  retries: number;
}

interface Partial {
  text: string;
  /** Its size as a prompt, by the estimate or the engine's own count, whichever is smaller. */
  tokens: number;
}

export function summarize(input: SummarizeInput, hooks: SummarizeHooks): Promise<SummarizeResult> {
  return new SummaryRun(input, hooks).run();
}

const macrotask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

class SummaryRun {
  readonly #input: SummarizeInput;
  readonly #hooks: SummarizeHooks;
  readonly #estimator: TokenEstimator;
  readonly #margin: number;
  readonly #partialReply: number;
  readonly #finalReply: number;
  readonly #instructions: PartialInstructions;
  #calls = 0;
  #pieces = 0;
  #levels = 0;
  #retries = 0;
  // Progress of the current stage.
  #done = 0;
  #total = 0;

  constructor(input: SummarizeInput, hooks: SummarizeHooks) {
    this.#input = input;
    this.#hooks = hooks;
    this.#estimator = hooks.estimator ?? new TokenEstimator(PROMPT_OVERHEAD_TOKENS);
    this.#margin = safetyMarginTokens(input.contextLength);
    this.#partialReply = partialReplyTokens(input.contextLength);
    this.#finalReply = finalReplyTokens(input.options, input.contextLength);
    this.#instructions = partialInstructions(input.contextLength);
  }

  async run(): Promise<SummarizeResult> {
    const text = this.#input.text.replace(/\r\n?/g, '\n').trim();
    if (!text) throw new SummarizeError('empty', 'There is no text to summarize.');
    if (this.#materialRoom(finalInstruction(this.#input.options, 'summaries'), this.#finalReply) < 16) {
      throw this.#tooSmall();
    }
    const direct = finalInstruction(this.#input.options, 'document');
    if (this.#estimator.tokens(text) <= this.#materialRoom(direct, this.#finalReply)) {
      try {
        return await this.#final(direct, text);
      } catch (error) {
        if (!contextOverflowOf(error)) throw error;
        this.#retries++;
      }
    }
    return this.#reduce(await this.#map(text));
  }

  /** Tokens of material a prompt with `instruction` may carry, leaving `reply` tokens to answer. */
  #materialRoom(instruction: string, reply: number): number {
    const instructionTokens = this.#estimator.tokens(`${instruction}\n\n`);
    return this.#input.contextLength - reply - this.#margin - this.#estimator.overheadTokens - instructionTokens;
  }

  // ── map ──────────────────────────────────────────────────────────────────────────────────

  async #map(text: string): Promise<Partial[]> {
    let planned = this.#pieceBytes();
    let chunks = await this.#plan(text, 0, planned);
    this.#done = 0;
    this.#total = chunks.length;
    const partials: Partial[] = [];
    for (let index = 0; index < chunks.length; index++) {
      partials.push(...(await this.#mapPiece(chunks[index]!.text)));
      const next = chunks[index + 1];
      // The first calls calibrate the estimate (bigger pieces for a real tokenizer, smaller ones
      // for a heavy chat template): plan the rest again when the piece size moved.
      const now = this.#pieceBytes();
      if (next && Math.abs(now - planned) > planned * 0.05) {
        planned = now;
        chunks = [...chunks.slice(0, index + 1), ...(await this.#plan(text, next.start, planned))];
        this.#total = this.#done + chunks.length - index - 1;
      }
    }
    this.#pieces = this.#done;
    return partials;
  }

  /** Bytes of document one map prompt can carry, by the current estimate. */
  #pieceBytes(): number {
    const maxBytes = this.#estimator.bytesFor(this.#materialRoom(this.#instructions.map, this.#partialReply));
    if (maxBytes < SMALLEST_PIECE_BYTES) throw this.#tooSmall();
    return maxBytes;
  }

  /** Non-blank pieces of `text` from `from` on, sized by the current estimate. */
  async #plan(text: string, from: number, maxBytes: number): Promise<Chunk[]> {
    const limits = { maxBytes, overlapBytes: Math.floor(maxBytes * OVERLAP_SHARE) };
    const chunks: Chunk[] = [];
    let sincePause = 0;
    for (const chunk of chunkText(from === 0 ? text : text.slice(from), limits)) {
      if (/\S/.test(chunk.text)) chunks.push({ ...chunk, start: chunk.start + from, end: chunk.end + from });
      if (++sincePause === PLAN_BATCH) {
        sincePause = 0;
        await (this.#hooks.pause ?? macrotask)();
        this.#throwIfAborted();
      }
    }
    return chunks;
  }

  /** Summarizes one piece; a piece the engine refuses as too long is re-split and each part summarized. */
  async #mapPiece(piece: string): Promise<Partial[]> {
    this.#report('reading', 0);
    try {
      const partial = await this.#complete(this.#instructions.map, piece.trim(), this.#partialReply);
      this.#done++;
      return [partial];
    } catch (error) {
      if (!contextOverflowOf(error)) throw error;
      this.#retries++;
      const parts = this.#resplit(piece, this.#instructions.map);
      this.#total += parts.length - 1;
      const partials: Partial[] = [];
      for (const part of parts) partials.push(...(await this.#mapPiece(part)));
      return partials;
    }
  }

  /** Cuts a refused piece smaller: to what the (now corrected) estimate allows, and at most 60 %. */
  #resplit(piece: string, instruction: string): string[] {
    const bytes = utf8Length(piece);
    if (bytes <= SMALLEST_PIECE_BYTES) throw this.#tooSmall();
    const allowed = this.#estimator.bytesFor(this.#materialRoom(instruction, this.#partialReply));
    const maxBytes = Math.max(SMALLEST_PIECE_BYTES / 2, Math.min(allowed, Math.ceil(bytes * 0.6)));
    return splitText(piece, { maxBytes, overlapBytes: 0 })
      .map((chunk) => chunk.text)
      .filter((text) => /\S/.test(text));
  }

  // ── reduce ───────────────────────────────────────────────────────────────────────────────

  async #reduce(partials: Partial[]): Promise<SummarizeResult> {
    let items = partials;
    const last = finalInstruction(this.#input.options, 'summaries');
    let mustMerge = false;
    for (;;) {
      if (!mustMerge && this.#size(items) <= this.#materialRoom(last, this.#finalReply)) {
        try {
          return await this.#final(last, items.map((item) => item.text).join(SUMMARY_SEPARATOR));
        } catch (error) {
          if (!contextOverflowOf(error)) throw error;
          this.#retries++;
          mustMerge = true;
          continue;
        }
      }
      mustMerge = false;
      if (this.#levels === MAX_REDUCE_LEVELS) throw this.#tooSmall();
      this.#levels++;
      const groups = this.#group(items);
      if (groups.length === items.length && items.length > 1) throw this.#tooSmall();
      this.#done = 0;
      this.#total = groups.length;
      const merged: Partial[] = [];
      for (const group of groups) merged.push(...(await this.#mergeGroup(group)));
      // A lone summary too long for the last pass was shortened; if that did not help, stop.
      if (merged.length === 1 && items.length === 1 && merged[0]!.tokens >= items[0]!.tokens) throw this.#tooSmall();
      items = merged;
    }
  }

  #size(items: readonly Partial[]): number {
    const separator = this.#estimator.tokens(SUMMARY_SEPARATOR);
    return items.reduce((sum, item) => sum + item.tokens + separator, 0);
  }

  /** Consecutive summaries, as many per group as one merge prompt holds (at least one). */
  #group(items: readonly Partial[]): Partial[][] {
    const room = this.#materialRoom(this.#instructions.reduce, this.#partialReply);
    const groups: Partial[][] = [];
    let current: Partial[] = [];
    for (const item of items) {
      if (current.length > 0 && this.#size([...current, item]) > room) {
        groups.push(current);
        current = [];
      }
      current.push(this.#fitAlone(item, room));
    }
    if (current.length > 0) groups.push(current);
    return groups;
  }

  /** A summary that alone exceeds a merge prompt keeps only what fits (rare: replies are capped). */
  #fitAlone(item: Partial, room: number): Partial {
    if (this.#size([item]) <= room) return item;
    const maxBytes = this.#estimator.bytesFor(room - this.#estimator.tokens(SUMMARY_SEPARATOR));
    const text = splitText(item.text, { maxBytes: Math.max(SMALLEST_PIECE_BYTES, maxBytes), overlapBytes: 0 })[0]!.text;
    return { text, tokens: this.#estimator.tokens(text) };
  }

  async #mergeGroup(group: Partial[]): Promise<Partial[]> {
    this.#report('combining', this.#levels);
    try {
      const material = group.map((item) => item.text).join(SUMMARY_SEPARATOR);
      const partial = await this.#complete(this.#instructions.reduce, material, this.#partialReply);
      this.#done++;
      return [partial];
    } catch (error) {
      if (!contextOverflowOf(error)) throw error;
      this.#retries++;
      if (group.length === 1) {
        // One summary too long to merge: keep its beginning (replies are capped, so this is rare).
        const parts = this.#resplit(group[0]!.text, this.#instructions.reduce);
        return this.#mergeGroup([{ text: parts[0]!, tokens: this.#estimator.tokens(parts[0]!) }]);
      }
      const half = Math.ceil(group.length / 2);
      this.#total += 1;
      return [...(await this.#mergeGroup(group.slice(0, half))), ...(await this.#mergeGroup(group.slice(half)))];
    }
  }

  // ── calls ────────────────────────────────────────────────────────────────────────────────

  async #final(instruction: string, material: string): Promise<SummarizeResult> {
    this.#done = 0;
    this.#total = 1;
    this.#report('writing', this.#levels);
    let text = '';
    const stats = await this.#call(buildPrompt(instruction, material), this.#finalReply, (token) => {
      text += token;
      this.#hooks.onToken?.(token);
    });
    return {
      text: text.trim(),
      finishReason: stats.finishReason,
      calls: this.#calls,
      pieces: this.#pieces,
      reduceLevels: this.#levels,
      retries: this.#retries,
    };
  }

  /** One short, non-streamed summary (map or merge). */
  async #complete(instruction: string, material: string, maxTokens: number): Promise<Partial> {
    let text = '';
    const stats = await this.#call(buildPrompt(instruction, material), maxTokens, (token) => (text += token));
    text = text.trim();
    // Fed back as input, a reply takes about the tokens it was generated in; keep a little slack.
    const generated = Math.ceil(stats.completionTokens * 1.1) + 2;
    return { text, tokens: Math.min(this.#estimator.tokens(text), generated) };
  }

  async #call(messages: ChatMessage[], maxTokens: number, onToken: (text: string) => void): Promise<CompletionStats> {
    this.#throwIfAborted();
    const promptBytes = messages.reduce((sum, message) => sum + utf8Length(message.content), 0);
    this.#calls++;
    let stats: CompletionStats;
    try {
      stats = await this.#hooks.engine.chat(
        // Its output is sized for a summary: a model that can is asked not to think first.
        { messages, settings: { temperature: 0.2, topP: 0.9, maxTokens, think: false } },
        { onToken },
        this.#hooks.signal,
      );
    } catch (error) {
      const overflow = contextOverflowOf(error);
      if (overflow?.requested) this.#estimator.observe(promptBytes, overflow.requested);
      throw error;
    }
    if (stats.finishReason === 'aborted') throw stopped();
    this.#throwIfAborted();
    this.#estimator.observe(promptBytes, stats.promptTokens);
    return stats;
  }

  #report(stage: SummarizeStage, level: number): void {
    this.#hooks.onProgress?.({ stage, part: this.#done + 1, total: Math.max(this.#total, this.#done + 1), level });
  }

  #throwIfAborted(): void {
    if (this.#hooks.signal?.aborted) throw stopped();
  }

  #tooSmall(): SummarizeError {
    return new SummarizeError(
      'context-too-small',
      `The model's window (${this.#input.contextLength} tokens) is too small for this summary. Try a simpler form or a model with a larger context.`,
    );
  }
}

const stopped = () => abortError();
