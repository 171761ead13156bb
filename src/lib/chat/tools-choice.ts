/**
 * Whether a reply in a conversation is offered tools: only by a model whose chat template has a
 * tool format (a model without one would print the call as text), and only while the user has
 * not turned them off for the conversation. On by default.
 */
import type { Conversation } from './conversation';
import type { ReplyModel } from './prompt';

export const usesTools = (conversation: Pick<Conversation, 'toolsOff'>, model: ReplyModel): boolean =>
  model.abilities?.tools === true && conversation.toolsOff !== true;
