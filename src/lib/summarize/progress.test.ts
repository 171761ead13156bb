import { describe, expect, it } from 'vitest';
import { describeProgress } from './progress';

describe('the Summarize progress line', () => {
  it('names the stage and the part', () => {
    expect(describeProgress(undefined)).toBe('Preparing…');
    expect(describeProgress({ stage: 'reading', part: 3, total: 7, level: 0 })).toBe('Reading part 3 of 7');
    expect(describeProgress({ stage: 'combining', part: 1, total: 2, level: 1 })).toBe(
      'Combining summaries, round 1: part 1 of 2',
    );
    expect(describeProgress({ stage: 'writing', part: 1, total: 1, level: 2 })).toBe('Writing the summary…');
  });
});
