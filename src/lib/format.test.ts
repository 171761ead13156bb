import { describe, expect, it } from 'vitest';
import { fileNameStem, formatTokenRate } from './format';

describe('formatTokenRate', () => {
  it('gives tokens per second from one a second up', () => {
    expect(formatTokenRate(312.4)).toBe('312 tok/s');
    expect(formatTokenRate(12.46)).toBe('12.5 tok/s');
    expect(formatTokenRate(3.46)).toBe('3.5 tok/s');
    expect(formatTokenRate(1)).toBe('1.0 tok/s');
  });

  it('gives seconds per token on devices slower than one token a second', () => {
    expect(formatTokenRate(0.5)).toBe('2.0 s/token');
    expect(formatTokenRate(1 / 14.2)).toBe('14 s/token');
    expect(formatTokenRate(0.04)).toBe('25 s/token');
  });

  it('says nothing was measured instead of printing zero', () => {
    expect(formatTokenRate(0)).toBe('— tok/s');
    expect(formatTokenRate(Number.NaN)).toBe('— tok/s');
  });
});

describe('fileNameStem', () => {
  it('drops the extension, folds accents and keeps letters, digits and dashes', () => {
    expect(fileNameStem('Städtische Notizen (Entwurf).pdf')).toBe('stadtische-notizen-entwurf');
    expect(fileNameStem('garden_notes 2026.md')).toBe('garden-notes-2026');
  });

  it('is at most 60 characters, and empty when nothing usable is left', () => {
    expect(fileNameStem(`${'a'.repeat(80)}.txt`)).toHaveLength(60);
    expect(fileNameStem('« ».txt')).toBe('');
  });
});
