import { describe, expect, it } from 'vitest';
import { compileNextGrammar, isSafeUrl, markdownToHtml, markdownToHtmlNow } from './to-html';

/** Any tag carrying an event handler, a script element, or a javascript:/data: URL attribute. */
const ACTIVE =
  /<script|<[^>]*\son[a-z]+\s*=|<[^>]*(href|src|xlink:href|action)\s*=\s*["']?\s*(javascript|data|vbscript):|<svg|<img|<iframe|<object/i;

const XSS_CORPUS = [
  '<script>window.__xss = 1</script>',
  '<img src=x onerror="window.__xss = 1">',
  '<svg onload="window.__xss = 1"><circle r="4"/></svg>',
  '<svg><script>window.__xss = 1</script></svg>',
  '[click](javascript:window.__xss=1)',
  '[click](JaVaScRiPt:window.__xss=1)',
  '[click](java\tscript:alert(1))',
  '[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  '![x](javascript:alert(1))',
  '![x](https://tracker.example/pixel.png)',
  '<a href="javascript:alert(1)">x</a>',
  '<iframe src="javascript:alert(1)"></iframe>',
  '<details open ontoggle="window.__xss=1">',
  '```html\n<script>window.__xss = 1</script>\n<img src=x onerror=alert(1)>\n```',
  '`<img src=x onerror=alert(1)>`',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
  '[a](<javascript:alert(1)>)',
  '<http://ok.example/?q=<script>>',
];

describe('markdownToHtml', () => {
  it.each(XSS_CORPUS)('renders %j inert', (payload) => {
    expect(markdownToHtml(payload)).not.toMatch(ACTIVE);
    expect(markdownToHtml(`Text before\n\n${payload}\n\nafter`)).not.toMatch(ACTIVE);
  });

  it('shows raw HTML as text rather than dropping it', () => {
    expect(markdownToHtml('<b>bold</b>')).toContain('&lt;b&gt;bold&lt;/b&gt;');
  });

  it('renders common markdown', () => {
    const html = markdownToHtml(
      '# Title\n\n**bold** and *em* and `code`\n\n- a\n- b\n\n| x | y |\n|---|---|\n| 1 | 2 |',
    );
    expect(html).toContain('<h1');
    expect(html).toContain('<strong>bold</strong>');
    expect(html).toContain('<em>em</em>');
    expect(html).toContain('<code>code</code>');
    expect(html).toContain('<li>a</li>');
    expect(html).toContain('<table>');
  });

  it('highlights registered languages, escapes others, and adds a copy button', () => {
    const ts = markdownToHtml('```ts\nconst a: number = 1;\n```');
    expect(ts).toContain('hljs-keyword');
    expect(ts).toContain('aria-label="Copy code"');
    const unknown = markdownToHtml('```brainfuck\n<+>\n```');
    expect(unknown).toContain('&lt;+&gt;');
    expect(unknown).not.toContain('hljs-');
  });

  it('keeps safe links, with rel noopener, and turns images into links', () => {
    expect(markdownToHtml('[Nook](https://example.org)')).toContain(
      '<a href="https://example.org" rel="noopener noreferrer" target="_blank">Nook</a>',
    );
    expect(markdownToHtml('![a cat](https://example.org/cat.png)')).toContain('[a cat]</a>');
  });
});

describe('isSafeUrl', () => {
  it('accepts web, mail, fragment and same-origin paths only', () => {
    for (const url of ['https://a.b', 'http://a.b/x', 'mailto:a@b.c', '#top', '/help'])
      expect(isSafeUrl(url)).toBe(true);
    for (const url of [
      'javascript:x',
      ' javascript:x',
      'java\nscript:x',
      'data:text/html,x',
      '//evil.example',
      'vbscript:x',
    ])
      expect(isSafeUrl(url)).toBe(false);
  });
});

describe('markdownToHtmlNow', () => {
  it('leaves code plain while its grammar is not compiled, and says so', () => {
    const python = markdownToHtmlNow('```py\nprint("hi")\n```');
    expect(python.highlighted).toBe(false);
    expect(python.html).not.toContain('hljs-');
    expect(python.html).toContain('print(&quot;hi&quot;)');
    // Code with no registered language never waits for a grammar.
    expect(markdownToHtmlNow('```brainfuck\n<+>\n```').highlighted).toBe(true);
    expect(markdownToHtmlNow('No code here.').highlighted).toBe(true);
  });
});

describe('compileNextGrammar', () => {
  it('compiles each grammar not compiled yet, one per call, then reports that none is left', () => {
    let calls = 0;
    while (compileNextGrammar()) calls++;
    // Seven grammars, some compiled on use by the tests above: fewer calls than seven.
    expect(calls).toBeLessThan(7);
    expect(compileNextGrammar()).toBe(false);
    // Highlighting works after the grammars were compiled ahead of time, also with no compile allowed.
    expect(markdownToHtml('```ts\nconst x: number = 1;\n```')).toContain('hljs-keyword');
    const python = markdownToHtmlNow('```py\nprint("hi")\n```');
    expect(python.highlighted).toBe(true);
    expect(python.html).toContain('hljs-');
  });
});
