/** Small pure pieces of writing a reply: the turns a model sees, and what a failure tells the user. */
import type { EngineError } from '../engine/errors';
import type { ChatMessage } from '../engine/types';
import type { SentTo, StoredMessage } from './conversation';

export const toTurns = (messages: readonly StoredMessage[]): ChatMessage[] =>
  messages.map(({ role, content }) => ({ role, content }));

/** The user's message as stored; `sentTo` when it goes to a server off this device. */
export const userMessage = (content: string, sentTo: SentTo | undefined): StoredMessage => ({
  id: crypto.randomUUID(),
  role: 'user',
  content,
  createdAt: Date.now(),
  ...(sentTo ? { sentTo } : {}),
});

export function describeReplyFailure(error: EngineError): string {
  switch (error.code) {
    case 'worker-crashed':
      return `${error.message} The reply so far is kept; load the model again to continue.`;
    default:
      return error.message;
  }
}
