/**
 * Markdown → HTML for one block, before sanitizing. Defence in depth, so that this step alone is
 * already inert: raw HTML in the markdown is shown as text, links keep only safe protocols, and
 * images become plain links (loading them would make a request to a third party, which Nook never
 * does). Code is highlighted by highlight.js core with a few languages registered, not the bundle.
 * TeX between math delimiters becomes MathML (math.ts).
 */
import { Marked, type Tokens } from 'marked';
import hljs from 'highlight.js/lib/core';
import bash from 'highlight.js/lib/languages/bash';
import css from 'highlight.js/lib/languages/css';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import python from 'highlight.js/lib/languages/python';
import typescript from 'highlight.js/lib/languages/typescript';
import xml from 'highlight.js/lib/languages/xml';
import { escapeHtml } from './escape';
import { mathMarkdown } from './math';

const LANGUAGES = { bash, css, javascript, json, python, typescript, xml };
for (const [name, language] of Object.entries(LANGUAGES)) hljs.registerLanguage(name, language);

/**
 * highlight.js compiles a language's grammar the first time it highlights it, which mid-stream
 * would be a long task (docs/decisions/0004-highlight-grammars-when-idle.md). Each call compiles
 * the next grammar not yet compiled; false once all are. The page calls it while idle (render.ts).
 */
const uncompiled = new Set(Object.keys(LANGUAGES));
export function compileNextGrammar(): boolean {
  const [language] = uncompiled;
  if (language) {
    hljs.highlight('', { language });
    uncompiled.delete(language);
  }
  return uncompiled.size > 0;
}
hljs.registerAliases(['sh', 'shell'], { languageName: 'bash' });
hljs.registerAliases(['js'], { languageName: 'javascript' });
hljs.registerAliases(['ts'], { languageName: 'typescript' });
hljs.registerAliases(['html', 'svg'], { languageName: 'xml' });
hljs.registerAliases(['py'], { languageName: 'python' });

/** The registered language an info string names (aliases resolved), if any. */
function registeredName(lang: string): string | undefined {
  const found = hljs.getLanguage(lang);
  return found && Object.keys(LANGUAGES).find((name) => hljs.getLanguage(name) === found);
}

/** While false, code whose grammar is not compiled yet is left plain (see `markdownToHtmlNow`). */
let mayCompile = true;
let leftPlain = false;

const SAFE_URL = /^(https?:|mailto:|#|\/(?!\/))/i;

/** True for http(s), mailto, fragment and same-origin paths; everything else (javascript:, data:…) is dropped. */
export function isSafeUrl(href: string): boolean {
  // Browsers ignore control characters and whitespace inside a scheme ("java\tscript:").
  const compact = [...href].filter((char) => char > ' ' && char !== '\u007f').join('');
  return SAFE_URL.test(compact);
}

function highlight(code: string, lang: string | undefined): string {
  const language = lang?.trim().split(/\s+/, 1)[0]?.toLowerCase();
  const name = language && registeredName(language);
  if (!name) return escapeHtml(code);
  if (uncompiled.has(name)) {
    if (!mayCompile) {
      leftPlain = true;
      return escapeHtml(code);
    }
    uncompiled.delete(name);
  }
  return hljs.highlight(code, { language: name, ignoreIllegals: true }).value;
}

const marked = new Marked(mathMarkdown, {
  gfm: true,
  breaks: false,
  renderer: {
    html: ({ text }: Tokens.HTML | Tokens.Tag) => escapeHtml(text),
    code({ text, lang }: Tokens.Code) {
      const label = lang ? `<span class="code-lang">${escapeHtml(lang)}</span>` : '';
      return (
        `<div class="code-block">${label}<button type="button" class="copy-code" aria-label="Copy code">Copy</button>` +
        `<pre><code class="hljs">${highlight(text, lang)}</code></pre></div>`
      );
    },
    link({ href, title, tokens }: Tokens.Link) {
      const inner = this.parser.parseInline(tokens);
      if (!isSafeUrl(href)) return inner;
      const titleAttr = title ? ` title="${escapeHtml(title)}"` : '';
      return `<a href="${escapeHtml(href)}"${titleAttr} rel="noopener noreferrer" target="_blank">${inner}</a>`;
    },
    image({ href, text }: Tokens.Image) {
      const label = escapeHtml(text || 'image');
      return isSafeUrl(href)
        ? `<a href="${escapeHtml(href)}" rel="noopener noreferrer" target="_blank">[${label}]</a>`
        : `[${label}]`;
    },
  },
});

/** HTML of one markdown block; still to be sanitized before it reaches the page. */
export function markdownToHtml(source: string): string {
  // Trimmed: a trailing newline would become a text node after the block.
  return marked.parse(source, { async: false }).trim();
}

/**
 * The same, without compiling a grammar: code in a language whose grammar is not compiled yet is
 * left plain, and `highlighted` is false (the block is to be rendered again once
 * `compileNextGrammar` has compiled them all). A compile is a long task (~100 ms for TypeScript
 * on a slow machine) that must not land in the middle of a streaming reply.
 */
export function markdownToHtmlNow(source: string): { html: string; highlighted: boolean } {
  mayCompile = false;
  leftPlain = false;
  try {
    return { html: markdownToHtml(source), highlighted: !leftPlain };
  } finally {
    mayCompile = true;
  }
}
