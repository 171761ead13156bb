/**
 * Named engine errors. They cross the worker boundary as plain `{ code, message }` records and are
 * rebuilt on the other side, so the UI can tell a missing model from a crash.
 *
 * An abort is not one of them. A user's Stop of a reply resolves the chat with `finishReason:
 * 'aborted'` (the text so far kept); a Stop of anything that rejects (a cancelled load, a stopped
 * summary or translation) rejects with the platform's own `AbortError` ({@link abortError}), as
 * `fetch` does. Callers tell the two apart with {@link isAbortError}, never by an error code.
 */

export type EngineErrorCode =
  | 'model-not-found' // the model's bytes are not (or no longer) stored
  | 'model-invalid' // the file is not a model this engine can load
  | 'unsupported-browser' // the browser lacks what the engine needs (JSPI, Memory64, WebGPU…)
  | 'host-unreachable' // an engine that downloads for itself (web-llm) could not reach the host
  | 'quota-exceeded' // the browser refused to store more
  | 'out-of-memory' // the model (with its context) needs more memory than the tab could get
  | 'device-lost' // the GPU device was lost (driver reset, GPU removed, out of memory)
  | 'not-loaded' // chat before load
  | 'busy' // a second chat while one is streaming
  | 'worker-crashed' // the engine worker died; the next call starts a fresh one
  | 'context-overflow' // the prompt does not fit the context window (see EngineError.tokens)
  | 'inference-failed';

/** What a context overflow says: tokens the prompt had, and tokens the window holds. */
export interface TokenCounts {
  requested?: number;
  available?: number;
}

export interface EngineErrorRecord {
  code: EngineErrorCode;
  message: string;
  tokens?: TokenCounts;
}

export class EngineError extends Error {
  override name = 'EngineError';
  readonly code: EngineErrorCode;
  /** For `context-overflow`: the counts, where the engine said. */
  readonly tokens: TokenCounts | undefined;

  constructor(code: EngineErrorCode, message: string, tokens?: TokenCounts) {
    super(message);
    this.code = code;
    this.tokens = tokens;
  }

  toRecord(): EngineErrorRecord {
    return { code: this.code, message: this.message, ...(this.tokens ? { tokens: this.tokens } : {}) };
  }

  static fromRecord(record: EngineErrorRecord): EngineError {
    return new EngineError(record.code, record.message, record.tokens);
  }
}

/** What a stopped job or a cancelled load rejects with: the standard `AbortError`. */
export function abortError(message = 'Stopped.'): DOMException {
  return new DOMException(message, 'AbortError');
}

/** A Stop or a cancellation (ours, `fetch`'s, a library's), as opposed to a failure. */
export function isAbortError(error: unknown): boolean {
  // DOMException is an Error in browsers, workers and Node alike.
  return error instanceof Error && error.name === 'AbortError';
}

/**
 * Any thrown failure as an EngineError, keeping codes that are already there. An abort is no
 * failure: check {@link isAbortError} first.
 */
export function toEngineError(error: unknown, fallback: EngineErrorCode = 'inference-failed'): EngineError {
  if (error instanceof EngineError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new EngineError(fallback, message);
}
