import { describe, expect, it } from 'vitest';
import { placeholdersIn, protect, restore } from './protect';

describe('protect and restore', () => {
  const source =
    'Run `npm ci` first, then read [the guide](https://example.org/guide "Guide") or <https://nook.example/x>.\n' +
    'Mail help@example.org, see www.example.com/a?b=1, keep <kbd>Ctrl</kbd> and a literal {{70}}.';

  it('sends no code, link target, URL, address or tag to the model, and keeps link text translatable', () => {
    const { text, slots } = protect(source);
    for (const hidden of [
      'npm ci',
      'https://example.org/guide',
      'nook.example',
      'help@example.org',
      'www.example.com',
      '<kbd>',
      '{{70}}',
    ]) {
      expect(text).not.toContain(hidden);
    }
    expect(text).toContain('[the guide]({{2}})');
    expect(slots.get('{{2}}')).toBe('https://example.org/guide "Guide"');
    expect(placeholdersIn(text)).toHaveLength(slots.size);
  });

  it('round-trips exactly when the model keeps every placeholder, in any order', () => {
    const { text, slots } = protect(source);
    expect(restore(text, slots)).toEqual({ text: source, missing: [] });
    const reordered = restore(
      '{{3}} then {{1}}',
      new Map([...slots].filter(([key]) => key === '{{1}}' || key === '{{3}}')),
    );
    expect(reordered.text).toBe('<https://nook.example/x> then `npm ci`');
  });

  it('reports what the model dropped and leaves placeholders it invented', () => {
    const { slots } = protect('Use `a` and `b`.');
    const restored = restore('Utilisez {{1}} et {{9}}.', slots);
    expect(restored.text).toBe('Utilisez `a` et {{9}}.');
    expect(restored.missing).toEqual(['`b`']);
  });

  it('numbers placeholders from a given start, so pieces of one document never collide', () => {
    expect(protect('`x`', 40).text).toBe('{{40}}');
  });
});
