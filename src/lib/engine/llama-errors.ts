/**
 * llama.cpp's failures (through wllama) as our named engine errors. The one place that knows
 * llama.cpp's wording: everything else reads the error code and its token counts.
 */
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
