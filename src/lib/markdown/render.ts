/**
 * The one way markdown reaches the page: `markdownToHtml` then DOMPurify. Components may `{@html}`
 * only what `renderMarkdownBlock` returns. Needs a DOM (the page); unit tests in Node cover
 * `markdownToHtml`, the e2e suite covers this function with an XSS corpus.
 */
import DOMPurify from 'dompurify';
import { compileNextGrammar, markdownToHtmlNow } from './to-html';
import { idle } from '../shared/idle';

DOMPurify.addHook('afterSanitizeAttributes', (node) => {
  if (node.tagName === 'A') node.setAttribute('rel', 'noopener noreferrer');
});

const GRAMMAR_IDLE_TIMEOUT_MS = 5000;
// One grammar per idle period, so that neither start-up nor the first code block pays for them.
let compiledAll: () => void = () => undefined;
/** Resolves once every grammar is compiled: blocks rendered with plain code are rendered again then. */
export const grammarsReady = new Promise<void>((resolve) => (compiledAll = resolve));
const compileWhenIdle = (): void =>
  void idle(GRAMMAR_IDLE_TIMEOUT_MS).then(() => (compileNextGrammar() ? compileWhenIdle() : compiledAll()));
compileWhenIdle();

/**
 * MathML comes only from Temml (math.ts), so only the elements Temml writes are let through.
 * DOMPurify's own MathML list (3.4) lacks one of them, `none` (an empty script slot, in
 * \prescript), and has five Temml never writes, `mglyph` among them (an mXSS classic). No HTML
 * element may sit inside MathML (no text integration points): Temml puts none there, and that is
 * where mXSS lives.
 */
const MATHML_ADDED_FOR_TEMML = ['none'];
const MATHML_TEMML_NEVER_WRITES = ['merror', 'mfenced', 'mglyph', 'mlabeledtr', 'ms'];

export function sanitizeHtml(html: string): string {
  if (!DOMPurify.isSupported) throw new Error('No DOM to sanitize with.');
  return DOMPurify.sanitize(html, {
    FORBID_TAGS: ['style', 'img', 'svg', 'form', 'input', 'iframe', 'object', 'embed', ...MATHML_TEMML_NEVER_WRITES],
    ADD_TAGS: MATHML_ADDED_FOR_TEMML,
    MATHML_TEXT_INTEGRATION_POINTS: {},
    // No inline style anywhere (the CSP allows none; math.ts already leaves Temml's out).
    FORBID_ATTR: ['style'],
    ADD_ATTR: ['target'],
  });
}

const cache = new Map<string, string>();
const CACHE_LIMIT = 500;

/**
 * Sanitized HTML of a block; a finished one is cached by its source (re-opened chats render
 * instantly). A render never compiles a highlighting grammar (a long task,
 * docs/decisions/0004-highlight-grammars-when-idle.md): code whose grammar the idle compiles have
 * not reached yet is plain, `highlighted` is false, and the block is to be rendered again once
 * `grammarsReady` resolves.
 */
export function renderMarkdownBlock(source: string, finished: boolean): { html: string; highlighted: boolean } {
  const hit = cache.get(source);
  if (hit !== undefined) return { html: hit, highlighted: true };
  const { html: raw, highlighted } = markdownToHtmlNow(source);
  const html = sanitizeHtml(raw);
  if (finished && highlighted) {
    if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
    cache.set(source, html);
  }
  return { html, highlighted };
}

/** User Timing name of one render of a message's markdown (split, parse, sanitize). */
export const RENDER_MEASURE = 'nook:markdown-render';

export interface RenderMeasureDetail {
  /** Length of the message's text so far. */
  chars: number;
  blocks: number;
  /** Blocks parsed and sanitized by this render (the others came from the cache). */
  rendered: number;
  /** True while the reply streams (a render at most every 100 ms, of the growing tail). */
  live: boolean;
}

/**
 * Records one render as a `performance.measure` entry, so that a profiler or the benchmark
 * (`npm run bench`) can see whether render cost stays flat as a reply grows. One entry per
 * 100 ms at most while a reply streams; cheap enough to keep in production.
 */
export function measureRender(start: number, detail: RenderMeasureDetail): void {
  performance.measure(RENDER_MEASURE, { start, detail });
}
