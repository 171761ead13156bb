import { describe, expect, it } from 'vitest';
import { AnswerTurns } from './turns';

describe('AnswerTurns', () => {
  it('is idle at once when no answer is being written', async () => {
    const turns = new AnswerTurns();
    expect(turns.busy).toBe(false);
    await expect(turns.idle()).resolves.toBeUndefined();
  });

  it('resolves idle() only when the last of overlapping answers ends', async () => {
    const turns = new AnswerTurns();
    const endFirst = turns.begin();
    const endSecond = turns.begin();
    let idle = false;
    const waiting = turns.idle().then(() => (idle = true));
    endFirst();
    endFirst(); // a second call of the same end does not count twice
    await Promise.resolve();
    expect(idle).toBe(false);
    expect(turns.busy).toBe(true);
    endSecond();
    await waiting;
    expect(idle).toBe(true);
    expect(turns.busy).toBe(false);
  });

  it('gives a fresh wait to an answer begun after the previous ones ended', async () => {
    const turns = new AnswerTurns();
    turns.begin()();
    const end = turns.begin();
    let idle = false;
    const waiting = turns.idle().then(() => (idle = true));
    await Promise.resolve();
    expect(idle).toBe(false);
    end();
    await waiting;
    expect(idle).toBe(true);
  });
});
