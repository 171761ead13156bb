import { describe, expect, it } from 'vitest';
import { linkCitations } from './citations';
import { markdownToHtml } from '../markdown/to-html';

describe('linkCitations', () => {
  it('links [n] of the sources given to #cite-n, and renders them as links that say which source', () => {
    const linked = linkCitations('The wall was repaired in May [2].', 2);
    expect(linked).toBe('The wall was repaired in May [\\[2\\]](#cite-2 "Source 2").');
    expect(markdownToHtml(linked)).toContain('<a href="#cite-2" title="Source 2"');
    expect(markdownToHtml(linked)).toContain('>[2]</a>');
  });

  it('links citations side by side, each to its own source', () => {
    const html = markdownToHtml(linkCitations('Bake it at 220 °C [1][2]. See [7] and [x].', 2));
    expect(html).toMatch(
      /<a href="#cite-1" title="Source 1"[^>]*>\[1\]<\/a><a href="#cite-2" title="Source 2"[^>]*>\[2\]<\/a>/,
    );
    expect(html).toContain('See [7] and [x].');
  });

  it('leaves numbers beyond the sources, code, and links of the reply’s own alone', () => {
    const text = 'See [3] and `arr[1]`.\n\n```\nx[1] = 2\n```\n\n[1](https://example.org) [1][label] [1]: note';
    expect(linkCitations(text, 2)).toBe(text);
    expect(linkCitations('No sources [1].', 0)).toBe('No sources [1].');
  });
});
