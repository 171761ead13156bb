import { describe, expect, it } from 'vitest';
import { DEFAULT_GENERATION } from './defaults';
import { forgottenBeforeLastReply, MAX_MESSAGE_CHARS, planReply } from './prompt';

const model = { name: 'Tiny', contextLength: 256 };

describe('planReply', () => {
  it('fits a long history into a small window, dropping the oldest turns', () => {
    const turns = Array.from({ length: 20 }, (_, i) => [
      { role: 'user' as const, content: `question ${i}` },
      { role: 'assistant' as const, content: 'Nook runs entirely on your device. '.repeat(3) },
    ]).flat();
    turns.push({ role: 'user', content: 'last' });
    const plan = planReply('Be brief.', turns, DEFAULT_GENERATION, model);
    expect(plan.ok).toBe(true);
    if (!plan.ok) return;
    expect(plan.droppedCount).toBeGreaterThan(0);
    expect(plan.messages[0]).toEqual({ role: 'system', content: 'Be brief.' });
    expect(plan.messages.at(-1)).toEqual({ role: 'user', content: 'last' });
    expect(plan.settings.maxTokens).toBeGreaterThanOrEqual(64);
    expect(plan.settings.maxTokens).toBeLessThanOrEqual(256);
  });

  it('keeps the user max-tokens setting when it is smaller than the room left', () => {
    const plan = planReply('', [{ role: 'user', content: 'hi' }], { ...DEFAULT_GENERATION, maxTokens: 20 }, model);
    expect(plan).toMatchObject({ ok: true, settings: { maxTokens: 20 } });
  });

  it('refuses a message that cannot fit, saying so, also for huge pastes', () => {
    const long = planReply('', [{ role: 'user', content: 'x'.repeat(1000) }], DEFAULT_GENERATION, model);
    expect(long).toMatchObject({ ok: false, reason: expect.stringMatching(/too long for Tiny.*256 tokens/) });
    const huge = planReply('', [{ role: 'user', content: 'x'.repeat(5_000_000) }], DEFAULT_GENERATION, model);
    expect(huge).toMatchObject({ ok: false, reason: expect.stringMatching(/5\.0 million characters/) });
    expect(MAX_MESSAGE_CHARS).toBeLessThan(5_000_000);
  });

  it('blames an oversized system prompt when that is what does not fit', () => {
    const plan = planReply('s'.repeat(400), [{ role: 'user', content: 'hi' }], DEFAULT_GENERATION, model);
    expect(plan).toMatchObject({ ok: false, reason: expect.stringMatching(/system prompt is too long/) });
  });

  it('needs a user message to answer', () => {
    expect(planReply('', [], DEFAULT_GENERATION, model).ok).toBe(false);
  });
});

describe('forgottenBeforeLastReply', () => {
  it('replays the plan of the newest user message', () => {
    const reply = 'Nook runs entirely on your device. '.repeat(5);
    const messages = [
      { role: 'user' as const, content: 'one' },
      { role: 'assistant' as const, content: reply },
      { role: 'user' as const, content: 'two' },
      { role: 'assistant' as const, content: reply },
    ];
    const plan = planReply('Be brief.', messages.slice(0, 3), DEFAULT_GENERATION, model);
    expect(plan.ok && plan.droppedCount).toBe(2);
    expect(forgottenBeforeLastReply('Be brief.', messages, DEFAULT_GENERATION, 256)).toBe(2);
    expect(forgottenBeforeLastReply('Be brief.', messages.slice(0, 2), DEFAULT_GENERATION, 256)).toBe(0);
    expect(forgottenBeforeLastReply('', [], DEFAULT_GENERATION, 256)).toBe(0);
  });

  it('takes a grounded reply’s own count: its passages took part of the window', () => {
    const messages = [
      { role: 'user' as const, content: 'one' },
      { role: 'assistant' as const, content: 'short' },
      { role: 'user' as const, content: 'two' },
      { role: 'assistant' as const, content: 'grounded', unseenBefore: 2 },
    ];
    expect(forgottenBeforeLastReply('', messages, DEFAULT_GENERATION, 256)).toBe(2);
    const plain = { role: 'assistant' as const, content: 'grounded' };
    expect(forgottenBeforeLastReply('', [...messages.slice(0, 3), plain], DEFAULT_GENERATION, 256)).toBe(0);
  });
});
