import { describe, expect, it } from 'vitest';
import { decodeText, looksBinary } from './decode';
import { SummarizeError } from './errors';
import { kindOf } from './extract';
import { visibleText, type HtmlNode } from './html';
import { markdownToText } from './markdown';

/** A DOM-shaped tree built by hand (Node has no DOMParser; the e2e suite covers the real one). */
const text = (value: string): HtmlNode => ({ nodeType: 3, nodeName: '#text', nodeValue: value, childNodes: [] });
const el = (name: string, children: HtmlNode[], attributes: Record<string, string> = {}): HtmlNode => ({
  nodeType: 1,
  nodeName: name.toUpperCase(),
  nodeValue: null,
  childNodes: children,
  getAttribute: (key) => attributes[key] ?? null,
});

describe('visibleText (HTML)', () => {
  it('keeps what a reader sees and drops scripts, styles, hidden and embedded content', () => {
    const body = el('body', [
      el('script', [text('var secret = 1;')]),
      el('style', [text('p { color: red }')]),
      el('nav', [text('Menu')], { hidden: '' }),
      el('div', [text('Popup')], { style: 'display: none' }),
      el('span', [text('Icon')], { 'aria-hidden': 'true' }),
      el('h1', [text('Harbour   news')]),
      el('p', [text('The ferry runs '), el('b', [text('hourly')]), text(' now.')]),
      el('noscript', [text('Enable JavaScript')]),
      el('template', [text('Template text')]),
      el('ul', [el('li', [text('Cheaper tickets')]), el('li', [text('New timetable')])]),
      el('pre', [text('line 1\n  line 2')]),
      el('table', [el('tr', [el('td', [text('A')]), el('td', [text('B')])])]),
    ]);
    expect(visibleText(body)).toBe(
      'Harbour news\n\nThe ferry runs hourly now.\n\n• Cheaper tickets\n• New timetable\n\nline 1\nline 2\n\nA\tB',
    );
  });
});

describe('markdownToText', () => {
  it('drops front matter, comments, link targets, image addresses and reference definitions', () => {
    const markdown = [
      '---',
      'title: Notes',
      '---',
      '# Notes',
      '',
      '<!-- draft -->',
      'See [the docs](https://example.com/a_(b)) and [the FAQ][faq].',
      '![A map of the harbour](map.png)',
      '',
      '[faq]: https://example.com/faq',
      '',
      '- keep **lists**',
    ].join('\n');
    expect(markdownToText(markdown)).toBe(
      '# Notes\n\nSee the docs and the FAQ.\n[image: A map of the harbour]\n\n- keep **lists**',
    );
  });
});

describe('file types and decoding', () => {
  const bytes = (text: string) => new TextEncoder().encode(text);

  it('tells the kind from the content, then the name, then the MIME type', () => {
    expect(kindOf('scan.txt', 'text/plain', bytes('%PDF-1.7'))).toBe('pdf');
    expect(kindOf('notes.MD', '')).toBe('markdown');
    expect(kindOf('page.htm', '')).toBe('html');
    expect(kindOf('shared', 'text/html; charset=utf-8')).toBe('html');
    expect(kindOf('log', 'text/x-log')).toBe('text');
    expect(kindOf('README', '')).toBe('text');
    expect(kindOf('photo.png', 'image/png')).toBeUndefined();
    expect(kindOf('report.docx', '')).toBeUndefined();
  });

  it('decodes UTF-8, UTF-16 with a byte-order mark and Windows-1252, and refuses binary data', () => {
    expect(decodeText(bytes('Grüße 東京'), 'a.txt')).toBe('Grüße 東京');
    expect(decodeText(new Uint8Array([0xff, 0xfe, 0x41, 0x00, 0x42, 0x00]), 'a.txt')).toBe('AB');
    expect(decodeText(new Uint8Array([0x63, 0x61, 0x66, 0xe9]), 'a.txt')).toBe('café');
    expect(looksBinary(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x00]))).toBe(true);
    expect(() => decodeText(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x00]), 'archive.txt')).toThrow(SummarizeError);
    expect(() => decodeText(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x00]), 'archive.txt')).toThrow(/not a text file/);
  });
});
