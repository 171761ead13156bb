import { describe, expect, it } from 'vitest';
import { matchesQuery, newConversation, titleFromText } from './conversation';

describe('titleFromText', () => {
  it('takes the first line, collapsed', () => {
    expect(titleFromText('  Plan   a trip \nto Lisbon')).toBe('Plan a trip');
  });
  it('cuts long lines at a word', () => {
    const title = titleFromText('How do I make a sourdough starter from scratch without any special equipment at all?');
    expect(title.length).toBeLessThanOrEqual(49);
    expect(title).toMatch(/^How do I make a sourdough starter from scratch…$/);
  });
});

describe('matchesQuery', () => {
  const conversation = newConversation('c', 0);
  conversation.title = 'Bread';
  conversation.messages.push({ id: 'm', role: 'assistant', content: 'Use Rye flour', createdAt: 0 });
  it('searches title and messages, case-insensitively', () => {
    expect(matchesQuery(conversation, 'bread')).toBe(true);
    expect(matchesQuery(conversation, 'RYE')).toBe(true);
    expect(matchesQuery(conversation, '  ')).toBe(true);
    expect(matchesQuery(conversation, 'wheat')).toBe(false);
  });
});
