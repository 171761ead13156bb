/**
 * TeX in markdown, as MathML: a marked extension of our own. Inline `$…$` and `\(…\)`; display
 * `$$…$$` and `\[…\]`, on lines of their own (a block) or inside a paragraph. Temml writes MathML
 * Core, which the browser lays out itself: no fonts and no stylesheet to ship.
 *
 * Which dollars are math, so that prose keeps its prices ("$5 and $10"): as in Pandoc, a `$`
 * opens only before a non-space, and closes only after a non-space and not before a digit; an
 * inline formula holds no other unescaped `$` and no backtick (code spans bind tighter, and `$`
 * in code is shell, not TeX). Anything else — a delimiter still unclosed while a reply streams,
 * too, or a formula longer than MAX_TEX_CHARS — stays text under marked's own rules. TeX that
 * Temml cannot read, or nested too deeply to be worth the time, is shown as its source, as code.
 *
 * Temml runs on untrusted input: `trust: false` (no \href, \url, \includegraphics, \class, \style,
 * \html…), bounded sizes (`\rule`, `\kern`) and macro expansion. Its output is sanitized with the
 * rest of the block (render.ts lets through the MathML elements Temml writes, and only those).
 */
import temml from 'temml';
import type { MarkedExtension, Tokens } from 'marked';
import { escapeHtml } from './escape';

/** Longer TeX stays text: a formula in a reply is not a paper, and Temml's time grows with it. */
export const MAX_TEX_CHARS = 4000;
/**
 * Deeper nesting is shown as source: Temml recurses per level (its stack overflows near 1,000)
 * and the browser lays out every level; real formulas stay well under 10.
 */
export const MAX_TEX_DEPTH = 40;

const TEMML_OPTIONS = {
  throwOnError: true,
  trust: false,
  // A soft line break after each top-level relation or operator: a long inline formula wraps on a
  // phone (with the flex-wrap of Markdown.svelte) instead of widening the reply. Temml breaks only
  // where it need not keep the TeX in an <annotation>, so there is none.
  wrap: 'tex' as const,
  // What TeX sizes itself (`\rule`, `\kern`, `\hspace`…) is held to 20 em in relative units and
  // to 200 pt in absolute ones: about 300 px, a phone's width.
  maxSize: [20, 200] as [number, number],
  maxExpand: 1000,
};

/** One formula: its markdown (delimiters included), its TeX, and whether it is display math. */
export interface MathSpan {
  raw: string;
  tex: string;
  display: boolean;
}

const isSpace = (char: string | undefined): boolean => char !== undefined && /\s/.test(char);
const isDigit = (char: string | undefined): boolean => char !== undefined && char >= '0' && char <= '9';

/** `$tex$` at the start of `src`, by the rules in the header comment. */
function readDollar(src: string): MathSpan | undefined {
  if (src[1] === undefined || isSpace(src[1])) return undefined;
  const end = Math.min(src.length, MAX_TEX_CHARS + 2);
  for (let i = 1; i < end; i++) {
    const char = src[i];
    if (char === '\\') i++;
    else if (char === '`') return undefined;
    else if (char === '$') {
      if (isSpace(src[i - 1]) || isDigit(src[i + 1])) return undefined;
      return { raw: src.slice(0, i + 1), tex: src.slice(1, i), display: false };
    }
  }
  return undefined;
}

/**
 * Math between `open` and `close` at the start of `src` (`$$…$$`, `\(…\)`, `\[…\]`): the first
 * unescaped `close`; no backtick in between when inline (in a paragraph), and no blank line.
 */
function readDelimited(src: string, open: string, close: string, inline: boolean): MathSpan | undefined {
  const end = Math.min(src.length, open.length + MAX_TEX_CHARS + close.length);
  for (let i = open.length; i < end; i++) {
    if (src.startsWith(close, i)) {
      const tex = src.slice(open.length, i);
      if (!tex.trim()) return undefined;
      return { raw: src.slice(0, i + close.length), tex, display: open !== '\\(' };
    }
    const char = src[i];
    if (char === '\\') i++;
    else if (char === '$' || (inline && char === '`')) return undefined;
    else if (char === '\n' && /^\n[ \t]*\n/.test(src.slice(i, i + 80))) return undefined;
  }
  return undefined;
}

/** The formula that starts `src` inside a paragraph, if one does. */
export function readInlineMath(src: string): MathSpan | undefined {
  if (src.startsWith('$$')) return readDelimited(src, '$$', '$$', true);
  if (src.startsWith('$')) return readDollar(src);
  if (src.startsWith('\\(')) return readDelimited(src, '\\(', '\\)', true);
  if (src.startsWith('\\[')) return readDelimited(src, '\\[', '\\]', true);
  return undefined;
}

const DISPLAY_OPEN = /^ {0,3}(\$\$|\\\[)/;

/**
 * Display math that starts a block and ends a line (`$$…$$` or `\[…\]`, over one line or
 * several), with the rest of that line; anything after the closing delimiter makes it a paragraph.
 */
export function readDisplayBlock(src: string): MathSpan | undefined {
  const open = DISPLAY_OPEN.exec(src);
  if (!open) return undefined;
  const indent = open[0].length - open[1]!.length;
  const span = readDelimited(src.slice(indent), open[1]!, open[1] === '$$' ? '$$' : '\\]', false);
  if (!span) return undefined;
  const rest = /^[ \t]*(?:\n|$)/.exec(src.slice(indent + span.raw.length));
  return rest ? { ...span, raw: src.slice(0, indent + span.raw.length + rest[0].length) } : undefined;
}

/** How deep `{…}`, `\left…\right` and `\begin…\end` nest in `tex`. */
function nestingDepth(tex: string): number {
  let depth = 0;
  let deepest = 0;
  for (const [token] of tex.matchAll(/\\[a-zA-Z]+|\\[^a-zA-Z]|[{}]/g)) {
    if (token === '{' || token === '\\left' || token === '\\begin') deepest = Math.max(deepest, ++depth);
    else if (token === '}' || token === '\\right' || token === '\\end') depth--;
  }
  return deepest;
}

/**
 * Temml's markup without its style attributes (colours, matrix padding, a display hint the
 * `display` attribute gives too) and ids (a `\label`'s, which a reply's TeX could aim at one of
 * the page's own). The sanitizer would drop the styles anyway, but only after the browser had
 * parsed them and reported each to the Content Security Policy (no inline style). Temml escapes
 * `"` in attribute values and text, so every ` style="` or ` id="` here opens an attribute.
 */
const withoutPageAttributes = (mathMl: string): string => mathMl.replace(/ (?:style|id)="[^"]*"/g, '');

type Rendered = { mathMl: string } | { problem: string };

/**
 * Formulas already rendered, by display mode and TeX: a streaming reply's tail block is rendered
 * again ten times a second, its formulas with it.
 */
const rendered = new Map<string, Rendered>();
const RENDERED_LIMIT = 500;

function renderTex(tex: string, display: boolean): Rendered {
  const key = `${display ? 'D' : 'I'}${tex}`;
  const hit = rendered.get(key);
  if (hit) return hit;
  let result: Rendered;
  if (nestingDepth(tex) > MAX_TEX_DEPTH) result = { problem: 'This TeX is nested too deeply to show as math.' };
  else
    try {
      const mathMl = withoutPageAttributes(temml.renderToString(tex, { ...TEMML_OPTIONS, displayMode: display }));
      // \ref and \eqref write an HTML link, for Temml to fill in on a page of numbered equations;
      // a reply has none, so such TeX is shown as its source rather than as a link to nowhere.
      result = /<a[\s>]/.test(mathMl) ? { problem: 'This TeX refers to an equation that is not here.' } : { mathMl };
    } catch (error) {
      // A ParseError is the TeX's fault; anything else (a stack overflow, a bug in Temml) is
      // shown the same way, so that one formula never breaks its reply.
      const at = error instanceof temml.ParseError ? (error as { position?: number }).position : undefined;
      result = { problem: `This TeX could not be read${at === undefined ? '' : ` (at character ${at + 1})`}.` };
    }
  if (rendered.size >= RENDERED_LIMIT) rendered.delete(rendered.keys().next().value!);
  rendered.set(key, result);
  return result;
}

/** HTML of one formula, still to be sanitized; `block` when it stands on lines of its own. */
export function mathToHtml({ raw, tex, display }: MathSpan, block: boolean): string {
  const result = renderTex(tex, display);
  if ('problem' in result) {
    const title = escapeHtml(result.problem);
    return block
      ? `<pre class="math-source" title="${title}"><code>${escapeHtml(raw.trim())}</code></pre>`
      : `<code class="math-source" title="${title}">${escapeHtml(raw)}</code>`;
  }
  if (block) return `<div class="math-display">${result.mathMl}</div>`;
  return display ? `<span class="math-display">${result.mathMl}</span>` : result.mathMl;
}

interface MathToken extends Tokens.Generic, MathSpan {
  type: 'displayMath' | 'inlineMath';
}

/**
 * marked's emphasis looks ahead for its closing `*` or `_` and would find one inside a formula
 * (`*see $x^*$*`). This hides them: in marked's masked copy of a paragraph, the `$…$` and
 * `$$…$$` spans outside code spans get their `*`, `_` and `~` replaced. (`\(…\)` cannot be found
 * there, marked having masked `\(` as an escape already: emphasis around one can still end in it.)
 */
export function maskMathForEmphasis(masked: string): string {
  if (!masked.includes('$')) return masked;
  let out = '';
  let copied = 0;
  for (let i = 0; i < masked.length; i++) {
    const char = masked[i];
    if (char === '`') {
      let run = 1;
      while (masked[i + run] === '`') run++;
      const close = masked.indexOf('`'.repeat(run), i + run);
      i = (close < 0 ? i : close) + run - 1;
    } else if (char === '$') {
      const span = readInlineMath(masked.slice(i, i + MAX_TEX_CHARS + 4));
      if (span) {
        out += masked.slice(copied, i) + span.raw.replace(/[*_~]/g, '+');
        copied = i + span.raw.length;
        i = copied - 1;
      }
    }
  }
  return out + masked.slice(copied);
}

/** The marked extension: display math as a block of its own, and math inside a paragraph. */
export const mathMarkdown: MarkedExtension = {
  hooks: { emStrongMask: maskMathForEmphasis },
  extensions: [
    {
      name: 'displayMath',
      level: 'block',
      // Where a block of display math may start, so that it can interrupt a paragraph.
      start: (src) => {
        const found = /(?:^|\n) {0,3}(?:\$\$|\\\[)/.exec(src);
        return found ? found.index + (found[0].startsWith('\n') ? 1 : 0) : undefined;
      },
      tokenizer(src): MathToken | undefined {
        const span = readDisplayBlock(src);
        return span && { type: 'displayMath', ...span };
      },
      renderer: (token) => mathToHtml(token as MathToken, true),
    },
    {
      name: 'inlineMath',
      level: 'inline',
      start: (src) => {
        const found = src.search(/\$|\\[([]/);
        return found < 0 ? undefined : found;
      },
      tokenizer(src): MathToken | undefined {
        const span = readInlineMath(src);
        return span && { type: 'inlineMath', ...span };
      },
      renderer: (token) => mathToHtml(token as MathToken, false),
    },
  ],
};
