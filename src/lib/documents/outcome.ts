/**
 * What a grounded answer that did not run to its end tells the user: no passage matched, the
 * window is too small, or it failed (and why). A Stop is told apart from a failure here, once,
 * for both the Documents view and chat.
 */
import { isAbortError, toEngineError } from '../engine/errors';
import { IndexerError } from './indexer-client';

/** Where the search looked: the whole library, the documents ticked, or those attached to a chat. */
export type SearchScope = 'library' | 'chosen' | 'attached';

export function noPassagesMessage(scope: SearchScope): string {
  switch (scope) {
    case 'library':
      return 'None of your documents mentions this, so Nook did not ask the model. Try other words, or add the document that answers it.';
    case 'chosen':
      return 'The chosen documents do not mention this, so Nook did not ask the model. Try other words, or ask the whole library.';
    case 'attached':
      return 'The attached documents do not mention this, so Nook did not ask the model. Try other words, attach the document that answers it, or remove the attachments to chat freely.';
  }
}

export const windowTooSmallMessage = (modelName: string | undefined, contextLength: number): string =>
  `${modelName ?? 'This model'}’s window (${contextLength} tokens) is too small to hold a passage and an answer. Load a model with a larger window.`;

/** A thrown answer: stopped by the user, or failed with a sentence to show. */
export function answerEnd(error: unknown): { stopped: true } | { stopped: false; message: string } {
  if (isAbortError(error)) return { stopped: true };
  if (error instanceof IndexerError) return { stopped: false, message: error.message };
  const engineError = toEngineError(error);
  return {
    stopped: false,
    message:
      engineError.code === 'busy'
        ? 'The model is busy with another reply; ask again when it is done.'
        : engineError.message,
  };
}
