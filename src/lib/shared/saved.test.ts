import { describe, expect, it } from 'vitest';
import { fileNameStem } from './saved';

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
