/**
 * The one way markdown reaches the page: `markdownToHtml` then DOMPurify. Components may `{@html}`
 * only what `renderMarkdownBlock` returns. Needs a DOM (the page); unit tests in Node cover
 * `markdownToHtml`, the e2e suite covers this function with an XSS corpus.
 */
import DOMPurify from 'dompurify';
import { markdownToHtml } from './to-html';

DOMPurify.addHook('afterSanitizeAttributes', (node) => {
  if (node.tagName === 'A') node.setAttribute('rel', 'noopener noreferrer');
});

export function sanitizeHtml(html: string): string {
  if (!DOMPurify.isSupported) throw new Error('No DOM to sanitize with.');
  return DOMPurify.sanitize(html, {
    FORBID_TAGS: ['style', 'img', 'svg', 'math', 'form', 'input', 'iframe', 'object', 'embed'],
    FORBID_ATTR: ['style'],
    ADD_ATTR: ['target'],
  });
}

const cache = new Map<string, string>();
const CACHE_LIMIT = 500;

/** Sanitized HTML of a finished block, cached by its source (re-opened chats render instantly). */
export function renderMarkdownBlock(source: string, finished: boolean): string {
  const hit = cache.get(source);
  if (hit !== undefined) return hit;
  const html = sanitizeHtml(markdownToHtml(source));
  if (finished) {
    if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
    cache.set(source, html);
  }
  return html;
}
