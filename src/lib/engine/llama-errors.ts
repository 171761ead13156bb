/**
 * llama.cpp's failures (through wllama) as our named engine errors. The one place that knows
 * llama.cpp's wording: everything else reads the error code and its token counts.
 */
import { formatBytes } from '../shared/format';
import { EngineError } from './errors';

/**
 * llama.cpp refuses a prompt longer than the window with "request (N tokens) exceeds the
 * available context size (M tokens), try increasing it".
 */
const OVERFLOW = /exceeds? the available context size|context (size|window|length) exceeded/i;
const COUNTS = /\((\d+) tokens\)[^(]*\((\d+) tokens\)/;

export function llamaError(message: string): EngineError {
  if (!OVERFLOW.test(message)) return new EngineError('inference-failed', message);
  const counts = COUNTS.exec(message);
  return new EngineError(
    'context-overflow',
    message,
    counts ? { requested: Number(counts[1]), available: Number(counts[2]) } : {},
  );
}

/** What llama.cpp could not find memory for, and how much it asked for where it said. */
export interface MemoryShortfall {
  part: 'weights' | 'context' | 'working' | undefined;
  bytes: number | undefined;
}

/**
 * llama.cpp's and the browser's words for memory that could not be had: a buffer llama.cpp could
 * not allocate ("failed to allocate CPU buffer of size 346206720", then "unable to allocate CPU
 * buffer" for the weights, "failed to allocate buffer for kv cache", "failed to allocate compute
 * pp buffers", "failed to allocate output buffer of size 28.42 MiB" at a decode), or WebAssembly memory the browser would not grow or create (V8's RangeError,
 * Emscripten's "Cannot enlarge memory arrays").
 */
const SIZED_FAILURE = /failed to allocate (?:\S+ )?buffer of size (\d+)(?![\d.])/i;
const ATTEMPTED = /insufficient memory \(attempted to allocate\s+([\d.]+) MB\)/i;
const PARTS: readonly [RegExp, NonNullable<MemoryShortfall['part']>][] = [
  [/failed to allocate buffer for kv cache/i, 'context'],
  [/failed to allocate compute (?:pp |tg )?buffers/i, 'working'],
  // The logits of a batch's tokens, set aside at its first decode ("of size 28.42 MiB").
  [/failed to allocate output buffer/i, 'working'],
  [/unable to allocate \S+ buffer/i, 'weights'],
];
const BROWSER_REFUSED = /could not allocate memory|out of memory|array buffer allocation failed|cannot enlarge memory/i;

/** The memory a failed load lacked, from llama.cpp's log and the error thrown; undefined when it was something else. */
export function memoryShortfall(lines: readonly string[]): MemoryShortfall | undefined {
  let part: MemoryShortfall['part'];
  let bytes: number | undefined;
  let short = false;
  for (const line of lines) {
    const sized = SIZED_FAILURE.exec(line);
    const attempted = ATTEMPTED.exec(line);
    if (sized) bytes = Number(sized[1]);
    else if (attempted && bytes === undefined) bytes = Math.round(Number(attempted[1]) * 1024 * 1024);
    const named = PARTS.find(([pattern]) => pattern.test(line));
    if (named) part = named[1];
    short ||= Boolean(sized || attempted || named) || BROWSER_REFUSED.test(line);
  }
  return short ? { part, bytes } : undefined;
}

const PART_NAMES: Record<NonNullable<MemoryShortfall['part']>, string> = {
  weights: 'its weights',
  context: 'its context window (the KV cache)',
  working: 'its working buffers',
};

/** What llama.cpp could not set aside, in words; undefined when its log did not say. */
function notSetAside({ part, bytes }: MemoryShortfall): string | undefined {
  if (part === undefined) return undefined;
  return `llama.cpp could not set aside ${bytes === undefined ? 'memory' : formatBytes(bytes)} for ${PART_NAMES[part]}`;
}

/** The failure a user can act on, for a model this tab had no memory for. */
export function outOfMemoryError(modelName: string, shortfall: MemoryShortfall): EngineError {
  const what = notSetAside(shortfall);
  const asked = what ? `: ${what}` : '';
  return new EngineError(
    'out-of-memory',
    `${modelName} needs more memory than this browser tab could get${asked}. Close other tabs and apps, then load it again, or use a smaller model. The model stays stored.`,
  );
}

/**
 * The failure a user can act on when the loaded model chats but this tab had no memory to turn
 * its embeddings on (meaning search for Documents): questions are still answered, by words.
 */
export function embeddingsOutOfMemoryError(modelName: string, shortfall: MemoryShortfall): EngineError {
  const what = notSetAside(shortfall);
  const asked = what ? ` (${what})` : '';
  return new EngineError(
    'out-of-memory',
    `This tab has no memory to search by meaning with ${modelName}${asked}. To search by meaning, close other tabs and apps and try again, or use a smaller model.`,
  );
}

/**
 * Whether an embedding call failed where memory may have run out: llama.cpp's server says only
 * "Compute error." when a decode found no memory for its outputs (the log says more, later).
 */
export function embeddingDecodeFailed(message: string): boolean {
  return /^compute error\.?$/i.test(message.trim()) || memoryShortfall([message]) !== undefined;
}

/**
 * llama.cpp embeds one input in one micro-batch and refuses a longer one with "input (N tokens)
 * is too large to process. increase the physical batch size (current batch size: M)".
 */
const TOO_LARGE = /input \((\d+) tokens\) is too large to process.*current batch size: (\d+)/i;

/** The input's tokens and the micro-batch's, when llama.cpp refused an embedding input as too long. */
export function embeddingInputTooLong(message: string): { tokens: number; batch: number } | undefined {
  const match = TOO_LARGE.exec(message);
  return match ? { tokens: Number(match[1]), batch: Number(match[2]) } : undefined;
}
