import { describe, expect, it } from 'vitest';
import type { SummaryForm, SummaryLength } from './options';
import { finalInstruction, finalReplyTokens, partialInstructions, safetyMarginTokens } from './prompts';

const LENGTHS: SummaryLength[] = ['short', 'medium', 'long'];
const FORMS: SummaryForm[] = ['paragraph', 'bullets', 'key-points'];
const LANGUAGE = /in (its|their)( own)? language/;

describe('summary prompts', () => {
  it('ask for the document’s own language in every call: map, merge and final, large and small windows', () => {
    for (const contextLength of [256, 1024, 4096]) {
      const { map, reduce } = partialInstructions(contextLength);
      expect(map).toMatch(LANGUAGE);
      expect(reduce).toMatch(LANGUAGE);
    }
    for (const length of LENGTHS)
      for (const form of FORMS)
        for (const over of ['document', 'summaries'] as const)
          expect(finalInstruction({ length, form }, over)).toMatch(LANGUAGE);
  });

  it('shape the final pass by the options', () => {
    expect(finalInstruction({ length: 'short', form: 'paragraph' }, 'document')).toContain('in 2 or 3 sentences');
    expect(finalInstruction({ length: 'long', form: 'bullets' }, 'document')).toContain(
      '8 to 15 detailed bullet points',
    );
    expect(finalInstruction({ length: 'medium', form: 'key-points' }, 'summaries')).toContain('"Action items:"');
  });

  it('keep the final reply and the margin inside the window', () => {
    for (const contextLength of [256, 2048, 8192])
      for (const length of LENGTHS) {
        const reply = finalReplyTokens({ length, form: 'paragraph' }, contextLength);
        expect(reply).toBeLessThanOrEqual(Math.max(32, contextLength / 4));
        expect(reply + safetyMarginTokens(contextLength)).toBeLessThan(contextLength / 2);
      }
    expect(safetyMarginTokens(256)).toBeGreaterThanOrEqual(8);
  });
});
