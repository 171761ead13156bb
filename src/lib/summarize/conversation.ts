/**
 * A conversation as a document to summarize: its turns in order, each under who said it, as
 * Markdown. The system prompt is left out: it steers the model, it is not what was said.
 */
import { displayTitle, type Conversation } from '../chat/conversation';

export function conversationTranscript(conversation: Conversation): string {
  const turns = conversation.messages
    .filter((message) => message.content.trim())
    .map((message) => `## ${message.role === 'user' ? 'You' : 'Nook'}\n\n${message.content.trim()}`);
  return [`# ${displayTitle(conversation)}`, ...turns].join('\n\n');
}
