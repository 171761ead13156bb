import { describe, expect, it } from 'vitest';
import { estimateTokens, MESSAGE_OVERHEAD_TOKENS, REPLY_PRIMER_TOKENS } from './context';
import { cleanModelTitle, needsModelTitle, titlePrompt, TITLE_REPLY_TOKENS, titleFromReply } from './title';

describe('needsModelTitle', () => {
  it('asks the model only when the first message is too long or spans lines', () => {
    expect(needsModelTitle('Plan a trip to Lisbon')).toBe(false);
    expect(needsModelTitle('  Plan   a trip  ')).toBe(false);
    expect(needsModelTitle('How do I make a sourdough starter from scratch without any tools?')).toBe(true);
    expect(needsModelTitle('Fix this:\nconst a = 1')).toBe(true);
  });
});

describe('titlePrompt', () => {
  const promptTokens = (messages: { content: string }[]) =>
    messages.reduce((sum, m) => sum + estimateTokens(m.content) + MESSAGE_OVERHEAD_TOKENS, REPLY_PRIMER_TOKENS);

  it('carries both turns and asks for the conversation’s language', () => {
    const [message] = titlePrompt('Plan a trip to Lisbon', 'Start at the castle.', 4096)!;
    expect(message!.role).toBe('user');
    expect(message!.content).toContain('User: Plan a trip to Lisbon\nAssistant: Start at the castle.');
    expect(message!.content).toMatch(/in its language/);
  });

  it('always leaves room for the title in a small window, whatever the turns', () => {
    for (const context of [256, 512, 1024]) {
      for (const text of ['x'.repeat(5000), 'é'.repeat(3000), '😀'.repeat(2000), 'short']) {
        const messages = titlePrompt(text, text, context)!;
        expect(promptTokens(messages) + TITLE_REPLY_TOKENS).toBeLessThanOrEqual(context);
        expect(messages[0]!.content).not.toContain('\uFFFD'); // never cut inside a character
      }
    }
  });

  it('does not ask when the window cannot hold the instruction and some of the turns', () => {
    expect(titlePrompt('Hello', 'Hi', 128)).toBeUndefined();
  });
});

describe('cleanModelTitle', () => {
  it('takes the first line, without quotes, labels and markup', () => {
    expect(cleanModelTitle('\n"Weekend in Lisbon"\nSure, here it is')).toBe('Weekend in Lisbon');
    expect(cleanModelTitle('Title: **Sourdough basics**.')).toBe('Sourdough basics');
    expect(cleanModelTitle('# « Voyage à Lisbonne »')).toBe('Voyage à Lisbonne');
  });

  it('keeps at most eight words and 48 characters, cut at a word, without trailing punctuation', () => {
    expect(cleanModelTitle('Nook runs entirely on your device, so nothing you type leaves it.')).toBe(
      'Nook runs entirely on your device, so nothing',
    );
    const long = cleanModelTitle('Incomprehensibilities notwithstanding, extraordinarily uncharacteristically');
    expect(long!.length).toBeLessThanOrEqual(48);
    expect(long).toBe('Incomprehensibilities notwithstanding,'.replace(/,$/, ''));
  });

  it('gives nothing for an empty or punctuation-only reply', () => {
    expect(cleanModelTitle('')).toBeUndefined();
    expect(cleanModelTitle('  \n  ')).toBeUndefined();
    expect(cleanModelTitle('"..."')).toBeUndefined();
  });
});

describe('titleFromReply (a title held to the JSON schema)', () => {
  it('reads the title out of the JSON, cleaned as any title', () => {
    expect(titleFromReply('{"title": "**Planning a trip to Rome**"}')).toBe('Planning a trip to Rome');
    expect(titleFromReply(' {"title":"Garden  tips"} ')).toBe('Garden tips');
  });

  it('reads what it can of JSON cut off at the token limit, or of a reply that is not JSON', () => {
    expect(titleFromReply('{"title": "Fixing a bicycle punc')).toBe('Fixing a bicycle punc');
    expect(titleFromReply('Fixing a bicycle')).toBe('Fixing a bicycle');
    expect(titleFromReply('{"title": ""}')).toBeUndefined();
    expect(titleFromReply('\n   \n')).toBeUndefined();
  });
});
