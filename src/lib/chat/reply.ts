/** Small pure pieces of writing a reply: the turns a model sees, and what a failure tells the user. */
import type { EngineError } from '../engine/errors';
import type { ChatMessage } from '../engine/types';
import type { StoredMessage } from './conversation';

export const toTurns = (messages: readonly StoredMessage[]): ChatMessage[] =>
  messages.map(({ role, content }) => ({ role, content }));

export function describeReplyFailure(error: EngineError): string {
  switch (error.code) {
    case 'worker-crashed':
      return `${error.message} The reply so far is kept; load the model again to continue.`;
    default:
      return error.message;
  }
}
