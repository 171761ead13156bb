import { describe, expect, it } from 'vitest';
import { markdownToHtml } from './to-html';
import { MAX_TEX_CHARS, readInlineMath } from './math';

const mathCount = (html: string): number => html.match(/<math[ >]/g)?.length ?? 0;
/** The text a reader sees: tags dropped, entities read back. */
const visibleText = (html: string): string =>
  html
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');

describe('math in markdown', () => {
  it('renders inline $…$ and \\(…\\), and display $$…$$ and \\[…\\], as MathML', () => {
    const inline = markdownToHtml('The area is $\\pi r^2$ and \\(e^{i\\pi} + 1 = 0\\) holds.');
    expect(mathCount(inline)).toBe(2);
    expect(inline).toContain('<mi>π</mi>');
    expect(inline).toContain('<msup><mi>r</mi><mn class="tml-sml-pad">2</mn></msup>');
    expect(inline).not.toContain('display="block"');
    expect(visibleText(inline)).toMatch(/^The area is π\s*r2 and/);

    for (const source of ['$$\\int_0^1 x^2\\,dx = \\frac{1}{3}$$', '\\[\\int_0^1 x^2\\,dx = \\frac{1}{3}\\]']) {
      const display = markdownToHtml(source);
      expect(display).toMatch(/^<div class="math-display"><math display="block"/);
      expect(display).toContain('<mfrac><mn>1</mn><mn>3</mn></mfrac>');
    }
  });

  it('leaves prices alone: a $ opens before a non-space and closes after one, not before a digit', () => {
    for (const prose of [
      'It costs $5 and $10 a month.',
      'Between $5-$10 a day, or $100k-$200k a year.',
      'Pay $5, or $ 6 if late.',
      'A $5 note',
      'Only US$5 and US$10.',
    ]) {
      const html = markdownToHtml(prose);
      expect(mathCount(html), prose).toBe(0);
      expect(visibleText(html)).toBe(prose);
    }
    // Math and prices in one sentence: each where it belongs.
    const mixed = markdownToHtml('The area is $\\pi r^2$, about $5 and $10 of paint.');
    expect(mathCount(mixed)).toBe(1);
    expect(visibleText(mixed)).toContain(', about $5 and $10 of paint.');
  });

  it('leaves $ in inline code and in fenced code as code', () => {
    const inline = markdownToHtml('Run `echo $HOME` and `$x$`, then $y$.');
    expect(inline).toContain('<code>echo $HOME</code>');
    expect(inline).toContain('<code>$x$</code>');
    expect(mathCount(inline)).toBe(1);
    // A formula never runs into a code span.
    expect(mathCount(markdownToHtml('Set $a to `b$` now'))).toBe(0);

    const fenced = markdownToHtml('```sh\necho $HOME $PATH\nprice=$5 $x$\n$$\ny\n$$\n```');
    expect(mathCount(fenced)).toBe(0);
    expect(visibleText(fenced)).toContain('echo $HOME $PATH\nprice=$5 $x$\n$$\ny\n$$');
    // Four spaces in is an indented code block, not display math.
    expect(mathCount(markdownToHtml('    $$x$$'))).toBe(0);
  });

  it('shows an escaped \\$ as a dollar, never as math', () => {
    const html = markdownToHtml('Escaped: \\$x\\$ and \\$5, and \\\\$y$ after a backslash.');
    expect(visibleText(html)).toContain('Escaped: $x$ and $5, and \\');
    expect(mathCount(html)).toBe(1); // only $y$, after the escaped backslash
    // \$ inside a formula is TeX's own dollar sign.
    expect(markdownToHtml('$\\$5 + x$')).toContain('<mi>$</mi><mn>5</mn><mo>+</mo>');
  });

  it('reads $$ display math across lines, in a block of its own or inside a paragraph', () => {
    // Lines that would be markdown (a list item, a setext underline) stay TeX inside the block.
    const block = markdownToHtml('$$\n\\begin{aligned}\na &= b \\\\\n- c &= d\n\\end{aligned}\n$$');
    expect(block).toMatch(/^<div class="math-display"><math display="block"/);
    expect(mathCount(block)).toBe(1);
    expect(block).not.toContain('<li>');

    const inParagraph = markdownToHtml('We have\n$$\na^2 + b^2\n$$\nso there.');
    expect(mathCount(inParagraph)).toBe(1);
    expect(inParagraph).toContain('display="block"');
    expect(visibleText(inParagraph)).toMatch(/^We have[\s\S]*so there\.$/);

    // In a sentence, display math stays in its paragraph.
    const inline = markdownToHtml('so $$x^2$$ is big');
    expect(inline).toMatch(/^<p>so <span class="math-display"><math display="block"/);
  });

  it('renders unfinished delimiters as text at every point of a streaming reply, never as broken HTML', () => {
    const reply =
      'The area is $\\pi r^2$, about $5 and $10, and \\(x_1\\) too.\n' +
      '$$\n\\int_0^1 x^2\\,dx = \\frac{1}{3}\n$$\nDone.';
    const formulas = ['$\\pi r^2$', '\\(x_1\\)', '$$\n\\int_0^1 x^2\\,dx = \\frac{1}{3}\n$$'];
    const ends = formulas.map((formula) => reply.indexOf(formula) + formula.length);
    for (let length = 1; length <= reply.length; length++) {
      const prefix = reply.slice(0, length);
      const html = markdownToHtml(prefix);
      const complete = ends.filter((end) => end <= length).length;
      expect(mathCount(html), JSON.stringify(prefix)).toBe(complete);
      expect(html.match(/<\/math>/g)?.length ?? 0).toBe(complete);
      // Whatever is not math yet is there as text, up to the last character written.
      if (!ends.includes(prefix.trimEnd().length))
        expect(visibleText(html).trimEnd().at(-1), JSON.stringify(prefix)).toBe(prefix.trimEnd().at(-1));
    }
    expect(visibleText(markdownToHtml('The area is $\\pi r'))).toBe('The area is $\\pi r');
    expect(visibleText(markdownToHtml('$$\\int_0^1 x'))).toBe('$$\\int_0^1 x');
  });

  it('writes no style attribute (the page allows none), nor a \\label’s id: colours and padding are left out', () => {
    expect(markdownToHtml('$$x \\tag{1}\\label{app}$$')).not.toMatch(/\sid=/);
    const html = markdownToHtml(
      '$$\\color{red}{x} \\colorbox{yellow}{y} \\begin{pmatrix} a & b \\\\ c & d \\end{pmatrix}$$',
    );
    expect(mathCount(html)).toBe(1);
    expect(html).toContain('<mtd>');
    expect(html).not.toContain('style=');
  });

  it('breaks a long inline formula after its top-level operators, so that it can wrap', () => {
    const html = markdownToHtml('Sum: $a_1 + a_2 = b$.');
    expect(html).toContain('<math><mrow><msub><mi>a</mi><mn>1</mn></msub><mo>+</mo></mrow><mrow>');
  });

  it('keeps emphasis around a formula from ending inside it', () => {
    const html = markdownToHtml('*see $x^*$ and $y_1$ here*');
    expect(html).toMatch(/^<p><em>see <math>[\s\S]*<\/math> here<\/em><\/p>$/);
    expect(mathCount(html)).toBe(2);
  });

  it('renders math in lists, headings and table cells', () => {
    expect(mathCount(markdownToHtml('- $a_1$\n- $$b$$'))).toBe(2);
    expect(markdownToHtml('## Area $\\pi r^2$')).toMatch(/^<h2>Area <math>/);
    const table = markdownToHtml('| a | b |\n|---|---|\n| $x^2$ | $5 |');
    expect(mathCount(table)).toBe(1);
    expect(table).toContain('<td>$5</td>');
  });

  it('shows TeX it cannot read as its source, as code with a title', () => {
    const inline = markdownToHtml('Broken $\\frac{1$ here, and $x^$ too');
    expect(mathCount(inline)).toBe(0);
    expect(inline).toContain(
      '<code class="math-source" title="This TeX could not be read (at character 8).">$\\frac{1$</code>',
    );
    expect(inline).toContain('<code class="math-source" title="This TeX could not be read.">$x^$</code>');
    // A cross-reference has nothing to point at in a reply.
    for (const source of ['$\\ref{eq1}$', '$a + \\eqref{eq1}$']) {
      const html = markdownToHtml(source);
      expect(html).not.toMatch(/<a[\s>]/);
      expect(html).toContain(`<code class="math-source" title="This TeX refers to an equation that is not here.">`);
    }
    const block = markdownToHtml('$$\n\\begin{matrix} a\n$$');
    expect(block).toMatch(
      /^<pre class="math-source" title="[^"]+"><code>\$\$\n\\begin\{matrix\} a\n\$\$<\/code><\/pre>$/,
    );
  });
});

/** A script, style, link, image, SVG or frame element, or a tag with a handler, link or source. */
const ACTIVE = /<(script|style|a|img|svg|iframe|object|embed)[\s>]|<[^>]*\s(on[a-z]+|href|src|xlink:href|action)\s*=/i;

describe('hostile TeX', () => {
  it.each([
    '\\href{javascript:alert(1)}{click}',
    '\\url{javascript:alert(1)}',
    '\\includegraphics{https://tracker.example/pixel.png}',
    '\\htmlClass{x}{y} \\htmlId{x}{y} \\htmlStyle{color:red}{y} \\htmlData{foo=bar}{y}',
    '\\style{background:url(https://tracker.example/)}{x}',
    '\\class{x}{y} \\cssId{x}{y}',
    '\\text{<img src=x onerror=alert(1)>} <script>alert(1)</script>',
    '\\operatorname{<svg onload=alert(1)>}',
    '\\color{red" onmouseover="alert(1)}{x} \\colorbox{red" x="1}{y} \\textcolor{#fff" z="}{w}',
    '\\def\\a{\\a\\a}\\a',
    '\\newcommand{\\x}{\\x\\x}\\x',
  ])('renders %j inert', (tex) => {
    for (const source of [`$${tex}$`, `$$${tex}$$`, `Before \\(${tex}\\) after`, `\\[\n${tex}\n\\]`]) {
      expect(markdownToHtml(source)).not.toMatch(ACTIVE);
    }
  });

  it('holds huge sizes to a bound', () => {
    const html = markdownToHtml(
      '$$\\rule{100000em}{100000em} \\kern{100000em} \\hspace{100000cm} \\rule{1e9pt}{1e9pt} x$$',
    );
    const sizes = [...html.matchAll(/(?:width|height|depth)="([\d.]+)(em|pt)"/g)];
    expect(sizes.length).toBeGreaterThanOrEqual(4);
    for (const [, value, unit] of sizes) expect(Number(value)).toBeLessThanOrEqual(unit === 'em' ? 20 : 200);
  });

  it('shows deeply nested or very long TeX as source or text without running Temml into the ground', () => {
    for (const tex of [
      '{'.repeat(20_000) + 'x' + '}'.repeat(20_000),
      '\\frac{1}{'.repeat(400) + 'x' + '}'.repeat(400),
      '\\left('.repeat(2000) + 'x' + '\\right)'.repeat(2000),
      '\\sqrt{'.repeat(1000) + 'x' + '}'.repeat(1000),
    ]) {
      const html = markdownToHtml(`$$${tex}$$`);
      expect(mathCount(html)).toBe(0);
      expect(html).not.toMatch(ACTIVE);
    }
    const long = `$${'x+'.repeat(MAX_TEX_CHARS)}y$`;
    expect(readInlineMath(long)).toBeUndefined();
    expect(mathCount(markdownToHtml(long))).toBe(0);
    // Many formulas in one paragraph are each read once.
    expect(mathCount(markdownToHtml('$a$ '.repeat(2000)))).toBe(2000);
    expect(mathCount(markdownToHtml('$a '.repeat(20_000)))).toBe(0);
  });
});
