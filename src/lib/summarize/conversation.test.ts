import { describe, expect, it } from 'vitest';
import { newConversation } from '../chat/conversation';
import { conversationTranscript } from './conversation';

describe('conversationTranscript', () => {
  it('lists the turns in order under who said them, without the system prompt or empty replies', () => {
    const conversation = newConversation('c', 0);
    conversation.title = 'Lisbon';
    conversation.systemPrompt = 'Secret steering text';
    conversation.messages.push(
      { id: '1', role: 'user', content: 'Plan a trip ', createdAt: 0 },
      { id: '2', role: 'assistant', content: 'Start at the castle.', createdAt: 1 },
      { id: '3', role: 'user', content: 'And food?', createdAt: 2 },
      { id: '4', role: 'assistant', content: '  ', createdAt: 3 },
    );
    expect(conversationTranscript(conversation)).toBe(
      '# Lisbon\n\n## You\n\nPlan a trip\n\n## Nook\n\nStart at the castle.\n\n## You\n\nAnd food?',
    );
  });
});
