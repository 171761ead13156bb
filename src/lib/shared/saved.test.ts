import { describe, expect, it } from 'vitest';
import { exportFileName, fileNameStem, slug } from './saved';

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

describe('slug', () => {
  it('makes each run of other characters one dash and never ends on one', () => {
    expect(slug('a - b -- c!')).toBe('a-b-c');
    expect(slug('Trip plans: v1.2', 9)).toBe('trip-plan');
    expect(slug('ab cd', 3)).toBe('ab');
  });

  it('names a conversation export by its title and the day, with a name when nothing is left', () => {
    const day = new Date('2026-11-22T10:00:00Z');
    expect(exportFileName('Trip plans', 'json', day)).toBe('nook-trip-plans-2026-11-22.json');
    expect(exportFileName('Café à Paris', 'md', day)).toBe('nook-cafe-a-paris-2026-11-22.md');
    expect(exportFileName('你好', 'md', day)).toBe('nook-conversations-2026-11-22.md');
  });
});
