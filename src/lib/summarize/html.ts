/**
 * The text a reader sees in an HTML page: scripts, styles, templates, embedded objects and
 * hidden elements are left out; block elements become line breaks; runs of spaces collapse
 * (except in <pre>). Works on any DOM-shaped tree, so it is unit-tested without a browser.
 */

/** The part of a DOM node this module reads (real DOM nodes have it). */
export interface HtmlNode {
  nodeType: number;
  nodeName: string;
  nodeValue: string | null;
  childNodes: ArrayLike<HtmlNode>;
  getAttribute?(name: string): string | null;
}

const TEXT_NODE = 3;
const ELEMENT_NODE = 1;

const SKIPPED = new Set([
  'SCRIPT',
  'STYLE',
  'NOSCRIPT',
  'TEMPLATE',
  'HEAD',
  'TITLE',
  'META',
  'LINK',
  'BASE',
  'SVG',
  'CANVAS',
  'IFRAME',
  'OBJECT',
  'EMBED',
  'AUDIO',
  'VIDEO',
  'PICTURE',
  'IMG',
  'MAP',
  'BUTTON',
  'SELECT',
  'INPUT',
  'TEXTAREA',
  'DIALOG',
]);
const PARAGRAPHS = new Set([
  'P',
  'DIV',
  'SECTION',
  'ARTICLE',
  'MAIN',
  'ASIDE',
  'HEADER',
  'FOOTER',
  'NAV',
  'BLOCKQUOTE',
  'H1',
  'H2',
  'H3',
  'H4',
  'H5',
  'H6',
  'PRE',
  'TABLE',
  'UL',
  'OL',
  'DL',
  'FIGURE',
  'FORM',
  'HR',
  'ADDRESS',
  'DETAILS',
  'FIELDSET',
]);
const LINES = new Set(['BR', 'LI', 'TR', 'DT', 'DD', 'CAPTION', 'FIGCAPTION', 'SUMMARY', 'OPTION']);
const CELLS = new Set(['TD', 'TH']);

function isHidden(node: HtmlNode): boolean {
  const attribute = (name: string) => node.getAttribute?.(name) ?? null;
  if (attribute('hidden') !== null || attribute('aria-hidden') === 'true') return true;
  return /(^|;)\s*(display\s*:\s*none|visibility\s*:\s*hidden)/i.test(attribute('style') ?? '');
}

/** Visible text of `root` (a document's body, usually). */
export function visibleText(root: HtmlNode): string {
  const parts: string[] = [];
  const walk = (node: HtmlNode, preformatted: boolean) => {
    if (node.nodeType === TEXT_NODE) {
      const value = node.nodeValue ?? '';
      parts.push(preformatted ? value : value.replace(/\s+/g, ' '));
      return;
    }
    if (node.nodeType !== ELEMENT_NODE && node.nodeType !== 9 && node.nodeType !== 11) return;
    const name = node.nodeName.toUpperCase();
    if (node.nodeType === ELEMENT_NODE && (SKIPPED.has(name) || isHidden(node))) return;
    const paragraph = PARAGRAPHS.has(name);
    // A paragraph has a blank line on both sides; a line (list item, row, <br>) starts a new line.
    if (paragraph) parts.push('\n\n');
    else if (LINES.has(name)) parts.push('\n');
    if (name === 'LI') parts.push('• ');
    for (let i = 0; i < node.childNodes.length; i++) walk(node.childNodes[i]!, preformatted || name === 'PRE');
    if (paragraph) parts.push('\n\n');
    else if (CELLS.has(name)) parts.push('\t');
  };
  walk(root, false);
  return tidy(parts.join(''));
}

/** Trims every line, and keeps at most one blank line between blocks. */
export function tidy(text: string): string {
  return text
    .split('\n')
    .map((line) => line.replace(/[ \t]+/g, (run) => (run.includes('\t') ? '\t' : ' ')).trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** Parses with the browser's DOMParser (no script runs, nothing loads) and returns the title and visible text. */
export function htmlToText(html: string): { title: string; text: string } {
  const document = new DOMParser().parseFromString(html, 'text/html');
  return { title: document.title.trim(), text: visibleText(document.body ?? document.documentElement) };
}
