/**
 * lib/translate — translating a document of any length, in order, with nothing lost, reordered or
 * invented. It owns cutting with the structure kept (./cut, ./protect), the checks of each
 * translated piece (./facts), the prompts (./prompts), language names and detection
 * (./languages, ./detect) and Chrome's built-in translator (./built-in). It knows the Engine
 * interface and token budgets, not components or storage (the history is ./history, apart).
 *
 * The document is cut into pieces that each fit the model's window with room for their
 * translation (allowing for a longer target language); code blocks are copied and never sent.
 * Pieces are translated one after the other, each with the end of the previous translation as
 * context, and each result is handed on in order as soon as it is checked. A piece that lost a
 * number, name, URL, code span or its Markdown shape is translated once more; if the second try
 * is no better, the better try is kept and flagged. A prompt the engine refuses as too long is cut
 * smaller and retried (the estimate learns from the refusal). A stop rejects with an
 * `AbortError` (see `isAbortError`); what was handed on before it is whole pieces only.
 */
import { MESSAGE_OVERHEAD_TOKENS, REPLY_PRIMER_TOKENS } from '../chat/context';
import { abortError } from '../engine/errors';
import type { CompletionStats, Engine } from '../engine/types';
import { contextOverflowOf, TokenEstimator } from '../engine/tokens';
import { utf8Length } from '../shared/utf8';
import {
  cutDocument,
  dropStreamingTableHeader,
  dropTableHeader,
  recutTablePiece,
  type Segment,
  type TranslatePiece,
} from './cut';
import { checkPiece } from './facts';
import { writesLatin, type Language } from './languages';
import { buildTranslatePrompt, contextBytesFor, expansionFor, instructionFor, safetyMarginTokens } from './prompts';
import { restore } from './protect';

const PROMPT_OVERHEAD_TOKENS = MESSAGE_OVERHEAD_TOKENS + REPLY_PRIMER_TOKENS;
/** A piece this small that still overflows means the window cannot hold the instructions. */
const SMALLEST_PIECE_BYTES = 16;
/** Reply tokens beyond the estimate, for a translation that runs a little long. */
const REPLY_SLACK_TOKENS = 8;

export interface TranslateInput {
  text: string;
  /** The source language, when known (detected or chosen). */
  from?: Language;
  to: Language;
  /** The loaded model's window, in tokens. */
  contextLength: number;
}

export interface TranslateProgress {
  /** 1-based piece in progress, of `total` (total may change when the rest is cut again). */
  part: number;
  total: number;
  /** 2 while a piece is translated a second time. */
  attempt: 1 | 2;
}

export type PartFlag =
  | { kind: 'lost'; items: string[] } // numbers, names, URLs or code the translation dropped
  | { kind: 'structure' } // headings, lists or tables came back in another shape
  | { kind: 'cut-short' }; // the reply hit its length limit

export interface TranslatedPart {
  /** 1-based, in document order. */
  part: number;
  source: string;
  /** The translation with code and links put back. */
  text: string;
  flags: PartFlag[];
}

/** Translates one piece; the model-based one is {@link ModelPieceTranslator}. */
export interface PieceTranslator {
  /** Bytes of (protected) text one call can take, by the current estimate. */
  pieceBytes(): number;
  translate(
    piece: TranslatePiece,
    previous: string,
    attempt: 1 | 2,
    onText: (soFar: string) => void,
    signal?: AbortSignal,
  ): Promise<PieceReply>;
}

export interface PieceReply {
  text: string;
  /** The reply hit its length limit. */
  cutShort: boolean;
  /** It hit a limit the window imposed, below the room the piece needed: the piece must be cut smaller. */
  squeezed?: boolean;
}

export interface TranslateHooks {
  translator: PieceTranslator;
  signal?: AbortSignal;
  onProgress?: (progress: TranslateProgress) => void;
  /** The piece in progress so far (placeholders already put back); restarts on a second try. */
  onPartial?: (text: string) => void;
  /** Output in document order: a finished, checked piece (with `part`) or text copied as it is. */
  onOutput?: (text: string, part?: TranslatedPart) => void;
}

export interface TranslateResult {
  text: string;
  parts: TranslatedPart[];
  /** Engine calls made, refused ones included. */
  calls: number;
  /** Pieces translated a second time because the first lost something. */
  retries: number;
}

export async function translateDocument(input: TranslateInput, hooks: TranslateHooks): Promise<TranslateResult> {
  const text = input.text.replace(/\r\n?/g, '\n');
  if (!/\S/.test(text)) throw new TranslateError('empty', 'There is no text to translate.');
  const checkNames = writesLatin(input.to) && (!input.from || writesLatin(input.from));
  const { translator, signal } = hooks;
  const parts: TranslatedPart[] = [];
  let output = '';
  let calls = 0;
  let retries = 0;
  let previous = '';

  let planned = translator.pieceBytes();
  let queue: Segment[] = cutDocument(text, { maxBytes: planned });
  if (!queue.some((segment) => segment.kind === 'translate')) {
    throw new TranslateError(
      'nothing-to-translate',
      'This text is all code (fenced, or indented by four spaces), which is copied as it is: there is nothing to translate.',
    );
  }
  let done = 0;
  const totalLeft = () => queue.filter((segment) => segment.kind === 'translate').length;

  const emit = (chunk: string, part?: TranslatedPart) => {
    output += chunk;
    hooks.onOutput?.(chunk, part);
  };

  while (queue.length > 0) {
    const segment = queue.shift()!;
    if (segment.kind === 'keep') {
      emit(segment.source);
      continue;
    }
    const attempts: { text: string; flags: PartFlag[] }[] = [];
    let refused = false;
    for (const attempt of [1, 2] as const) {
      if (signal?.aborted) throw stopped();
      hooks.onProgress?.({ part: done + 1, total: done + 1 + totalLeft(), attempt });
      calls++;
      let reply: PieceReply;
      try {
        reply = await translator.translate(
          segment,
          previous,
          attempt,
          (soFar) => hooks.onPartial?.(withoutHeader(segment, restore(soFar, segment.slots).text, true)),
          signal,
        );
      } catch (error) {
        if (!contextOverflowOf(error)) throw error;
        refused = true;
        break;
      }
      if (signal?.aborted) throw stopped();
      if (reply.squeezed && utf8Length(segment.text) > SMALLEST_PIECE_BYTES) {
        refused = true;
        break;
      }
      const restored = restore(reply.text.trim(), segment.slots);
      // A table's later part is checked whole, header included, as it was sent.
      const sent = segment.tableHeader ? restore(segment.text, segment.slots).text : segment.source;
      const check = checkPiece(sent, restored.text, checkNames);
      const flags: PartFlag[] = [];
      const lost = [...restored.missing, ...check.lost];
      if (lost.length > 0) flags.push({ kind: 'lost', items: lost });
      if (check.structureChanged) flags.push({ kind: 'structure' });
      if (reply.cutShort) flags.push({ kind: 'cut-short' });
      attempts.push({ text: withoutHeader(segment, restored.text, false), flags });
      if (flags.length === 0) break;
      if (attempt === 1) retries++;
    }
    if (refused) {
      // Refused as too long, or its translation had no room: cut this piece smaller by the corrected estimate (at most 60 % of it) and go on with its parts.
      const bytes = utf8Length(segment.text);
      if (bytes <= SMALLEST_PIECE_BYTES) throw tooSmall(input.contextLength);
      const maxBytes = Math.max(SMALLEST_PIECE_BYTES, Math.min(translator.pieceBytes(), Math.floor(bytes * 0.6)));
      const smaller =
        recutTablePiece(segment, maxBytes) ?? cutDocument(segment.source + segment.trailing, { maxBytes });
      queue = [...smaller, ...queue];
      continue;
    }
    const best = attempts.reduce((a, b) => (weight(b.flags) < weight(a.flags) ? b : a));
    done++;
    const part: TranslatedPart = { part: done, source: segment.source, text: best.text, flags: best.flags };
    parts.push(part);
    previous = best.text;
    emit(best.text + segment.trailing, part);

    // The first calls calibrate the estimate: cut the rest again when the piece size moved up.
    const now = translator.pieceBytes();
    if (now > planned * 1.1 && queue.length > 0) {
      planned = now;
      // The rest of a table already cut keeps its header parts; what follows is cut again.
      const tableRest = queue.findIndex((next) => next.kind !== 'translate' || !next.tableHeader);
      const kept = tableRest < 0 ? queue : queue.slice(0, tableRest);
      const rest = tableRest < 0 ? [] : queue.slice(tableRest);
      queue = [...kept, ...(rest.length > 0 ? cutDocument(rest.map(sourceOf).join(''), { maxBytes: planned }) : [])];
    }
  }
  return { text: output, parts, calls, retries };
}

/** A table part's translation without the header rows it was sent with as context. */
const withoutHeader = (segment: TranslatePiece, text: string, streaming: boolean) =>
  !segment.tableHeader ? text : streaming ? dropStreamingTableHeader(text) : dropTableHeader(text);

const sourceOf = (segment: Segment) => (segment.kind === 'keep' ? segment.source : segment.source + segment.trailing);

/** Lost facts weigh most; a changed shape or a cut-short reply less. */
const weight = (flags: readonly PartFlag[]) =>
  flags.reduce((sum, flag) => sum + (flag.kind === 'lost' ? 10 * flag.items.length : 3), 0);

const stopped = () => abortError();

export class TranslateError extends Error {
  override name = 'TranslateError';
  readonly code: 'empty' | 'nothing-to-translate' | 'context-too-small';

  constructor(code: TranslateError['code'], message: string) {
    super(message);
    this.code = code;
  }
}

function tooSmall(contextLength: number): TranslateError {
  return new TranslateError(
    'context-too-small',
    `The model's window (${contextLength} tokens) is too small to translate this text. Try a model with a larger context.`,
  );
}

export interface ModelTranslatorOptions {
  engine: Pick<Engine, 'chat'>;
  from?: Language;
  to: Language;
  contextLength: number;
  /** Keep one per model to reuse its calibration across documents. */
  estimator?: TokenEstimator;
}

/** Translation by the loaded model, within its window. */
export class ModelPieceTranslator implements PieceTranslator {
  readonly #options: ModelTranslatorOptions;
  readonly #estimator: TokenEstimator;
  readonly #instruction: string;
  readonly #expansion: number;
  readonly #contextBytes: number;

  constructor(options: ModelTranslatorOptions) {
    this.#options = options;
    this.#estimator = options.estimator ?? new TokenEstimator(PROMPT_OVERHEAD_TOKENS);
    this.#instruction = instructionFor(options.from, options.to, options.contextLength);
    this.#expansion = expansionFor(options.to);
    this.#contextBytes = contextBytesFor(options.contextLength);
  }

  pieceBytes(): number {
    const { contextLength } = this.#options;
    const fixed = buildTranslatePrompt(this.#instruction, 'x'.repeat(this.#contextBytes), '')[0]!.content;
    const room =
      contextLength -
      safetyMarginTokens(contextLength) -
      this.#estimator.overheadTokens -
      this.#estimator.tokens(fixed) -
      REPLY_SLACK_TOKENS;
    const pieceTokens = Math.floor(room / (1 + this.#expansion));
    const bytes = this.#estimator.bytesFor(pieceTokens);
    if (bytes < SMALLEST_PIECE_BYTES) throw tooSmall(contextLength);
    return bytes;
  }

  async translate(
    piece: TranslatePiece,
    previous: string,
    attempt: 1 | 2,
    onText: (soFar: string) => void,
    signal?: AbortSignal,
  ): Promise<PieceReply> {
    const messages = buildTranslatePrompt(this.#instruction, tailOf(previous, this.#contextBytes), piece.text);
    const promptBytes = utf8Length(messages[0]!.content);
    const { contextLength } = this.#options;
    const promptTokens = this.#estimator.tokens(messages[0]!.content) + this.#estimator.overheadTokens;
    const wanted = Math.ceil(this.#estimator.tokens(piece.text) * this.#expansion) + REPLY_SLACK_TOKENS;
    const maxTokens = Math.max(8, Math.min(wanted, contextLength - promptTokens - safetyMarginTokens(contextLength)));
    let text = '';
    let stats: CompletionStats;
    try {
      stats = await this.#options.engine.chat(
        // A second try is greedy: the first one's sampling is what may have lost something.
        // Its output is sized for the translation: a model that can is asked not to think first.
        { messages, settings: { temperature: attempt === 1 ? 0.2 : 0, topP: 0.9, maxTokens, think: false } },
        {
          onToken: (token) => {
            text += token;
            onText(text);
          },
        },
        signal,
      );
    } catch (error) {
      const overflow = contextOverflowOf(error);
      if (overflow?.requested) this.#estimator.observe(promptBytes, overflow.requested);
      throw error;
    }
    if (stats.finishReason === 'aborted') throw stopped();
    this.#estimator.observe(promptBytes, stats.promptTokens);
    const cutShort = stats.finishReason === 'length';
    return { text, cutShort, squeezed: cutShort && maxTokens < wanted };
  }
}

/** The end of the previous translation, from a sentence or word start, within `maxBytes`. */
export function tailOf(text: string, maxBytes: number): string {
  if (maxBytes <= 0 || !text) return '';
  let from = text.length;
  let bytes = 0;
  while (from > 0) {
    const width = utf8Length(text[from - 1]!);
    if (bytes + width > maxBytes) break;
    bytes += width;
    from--;
  }
  if (from === 0) return text.trim();
  const tail = text.slice(from);
  const sentence = /[.!?。！？]\s+/.exec(tail);
  const cut = sentence ? sentence.index + sentence[0].length : (/\s/.exec(tail)?.index ?? tail.length);
  return tail.slice(cut).trim();
}
