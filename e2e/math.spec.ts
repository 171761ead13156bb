// TeX in replies, rendered as MathML: from a real model's stream (the generated "Nook Tiny Math",
// test-support/tiny-math-model.mjs, in wllama), and from hostile TeX in an imported conversation.
import { expect, test } from './test';
import { TINY_MATH } from '../test-support/tiny-math-model.mjs';
import {
  afterNextFrame,
  conversationExport,
  MODEL_HOST,
  recordCspViolations,
  setMaxTokens,
  startOffline,
  startReply,
} from './helpers';

const MATH_URL = `${MODEL_HOST}/models/math.gguf`;

/** Every MathML element Temml writes (src/lib/markdown/render.ts lets these through, no others). */
const TEMML_ELEMENTS = new Set([
  'math',
  'mrow',
  'mi',
  'mn',
  'mo',
  'mtext',
  'mspace',
  'mpadded',
  'mphantom',
  'mstyle',
  'mover',
  'munder',
  'munderover',
  'msqrt',
  'mroot',
  'mfrac',
  'msub',
  'msup',
  'msubsup',
  'mmultiscripts',
  'mprescripts',
  'none',
  'mtable',
  'mtr',
  'mtd',
  'menclose',
]);

/** Before any page script: records CSP violations (markup the sanitizer let through, then blocked). */
test.beforeEach(({ page }) => recordCspViolations(page));

test('a model’s streamed reply shows its TeX as laid-out math, while it streams too, and leaves prices and code alone', async ({
  page,
  context,
}) => {
  test.setTimeout(180_000);
  await startOffline(page, context, { url: MATH_URL, name: TINY_MATH.name });

  // One turn of the reply, exactly: a paragraph with inline math and prices, display math, code.
  await setMaxTokens(page, String(TINY_MATH.tokens.length), { close: true });
  const reply = await startReply(page, 'Some maths, please');
  await expect(reply.getByTestId('reply-stats')).toContainText(`${TINY_MATH.tokens.length} tokens`, {
    timeout: 120_000,
  });
  const text = reply.getByTestId('message-text');
  const paragraph = text.locator('p').filter({ hasText: 'The area of a circle is' });
  await expect(paragraph.locator('math')).toHaveCount(1);
  await expect(paragraph.locator('math mi').first()).toHaveText('π');
  // The prices are prose, dollars and all, and no TeX is left showing.
  await expect(paragraph).toContainText(TINY_MATH.prices);
  await expect(text).not.toContainText('\\pi');
  await expect(text).not.toContainText('$$');
  await expect(text).not.toContainText('\\frac');
  // The display formula has a line of its own, and the browser lays out its fraction: 1 over 3.
  const display = text.locator('.math-display > math[display="block"]');
  await expect(display).toHaveCount(1);
  await expect(display).toBeVisible();
  const numerator = (await display.locator('mfrac > :first-child').boundingBox())!;
  const denominator = (await display.locator('mfrac > :last-child').boundingBox())!;
  expect(numerator.y + numerator.height).toBeLessThanOrEqual(denominator.y + 1);
  await expect(display.locator('mfrac')).toHaveText('13');
  // A dollar in code is code.
  await expect(text.locator('code')).toHaveText(TINY_MATH.code);
  await expect(text.locator('math')).toHaveCount(2);

  // Now a reply that streams on until stopped: math shows in it while it is still streaming.
  // Every change to the page is checked, so no render is missed however fast the stream.
  await page.evaluate(() => {
    const seen = window as unknown as { __mathWhileStreaming?: boolean };
    new MutationObserver(() => {
      if (document.querySelector('[data-testid="message-assistant"][aria-busy="true"] math'))
        seen.__mathWhileStreaming = true;
    }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-busy'] });
  });
  await setMaxTokens(page, '3000', { close: true });
  const streaming = await startReply(page, 'More maths, please');
  await expect
    .poll(() => page.evaluate(() => (window as unknown as { __mathWhileStreaming?: boolean }).__mathWhileStreaming), {
      timeout: 120_000,
    })
    .toBe(true);
  await page.keyboard.press('Escape');
  await expect(streaming.getByTestId('reply-stats')).toBeVisible();
  // Wherever it stopped, every finished turn shows its math, and its prices as prose.
  const turns = await streaming.getByTestId('message-text').locator('p', { hasText: TINY_MATH.prices }).all();
  expect(turns.length).toBeGreaterThan(0);
  for (const turn of turns) await expect(turn.locator('math')).toHaveCount(1);
  expect(await page.evaluate(() => (window as unknown as { __violations: string[] }).__violations)).toEqual([]);
});

test('hostile TeX renders inert: no script, link, style or runaway size, and nesting cannot hang the page', async ({
  page,
}) => {
  const hostile = [
    'Link: $\\href{javascript:window.__xss=1}{click}$ and $\\url{javascript:window.__xss=2}$',
    '$$\\htmlStyle{background:url(https://tracker.example/)}{x} \\htmlClass{copy-code}{y} \\htmlId{app}{z}$$',
    '\\(\\style{color:red}{x}\\) \\(\\class{x}{y}\\) \\(\\includegraphics{https://tracker.example/pixel.png}\\)',
    '$\\text{<img src=x onerror="window.__xss=3">} <script>window.__xss=4</script>$',
    '$\\color{red" onmouseover="window.__xss=5}{x}$ and $\\colorbox{yellow}{boxed}$ and $\\color{red}{red}$',
    'Raw MathML stays text: <math><mtext><table><mglyph><style><img src=x onerror="window.__xss=6">',
    '$$\\rule{100000em}{100000em} \\rule{1e9pt}{1e9pt}$$',
    '$$x \\tag{1}\\label{app}$$',
    // Nested far deeper than any formula (Temml's stack would overflow near 1,000 levels).
    `$$${'{'.repeat(1900)}x${'}'.repeat(1900)}$$`,
    `$$${'\\frac{1}{'.repeat(400)}x${'}'.repeat(400)}$$`,
    // Longer than any formula: text.
    `$$${'x+'.repeat(5000)}y$$`,
    '$\\def\\a{\\a\\a}\\a$ and $x^{$ and $\\ref{app}$ and $a + \\eqref{cite-1}$',
    'The end: $e^{i\\pi} + 1 = 0$ after all that.',
  ];
  await page.goto('/#/chat');
  await page.getByLabel('Import conversations').setInputFiles({
    name: 'tex.json',
    mimeType: 'application/json',
    buffer: Buffer.from(conversationExport('Hostile TeX', hostile.join('\n\n'))),
  });
  await page.getByTestId('conversation-item').filter({ hasText: 'Hostile TeX' }).getByRole('button').first().click();
  const reply = page.getByTestId('message-assistant').getByTestId('message-text');
  // The page got through all of it: the last formula rendered.
  await expect(reply.locator('p', { hasText: 'The end:' }).locator('math')).toHaveCount(1);
  await afterNextFrame(page);

  const found = await reply.evaluate((root) => {
    const all = [...root.querySelectorAll('*')];
    const em = parseFloat(getComputedStyle(root).fontSize);
    return {
      xss: (window as unknown as { __xss?: unknown }).__xss ?? null,
      active: all.filter((el) => el.matches('script, style, img, svg, iframe, object, embed, link')).length,
      links: all.filter((el) => el.matches('a, [href], [src], [xlink\\:href]')).length,
      handlers: all.filter((el) => [...el.attributes].some((a) => a.name.startsWith('on'))).length,
      styled: all.filter((el) => el.hasAttribute('style')).length,
      ids: all.filter((el) => el.id).length,
      mathElements: [...new Set([...root.querySelectorAll('math, math *')].map((el) => el.localName))],
      // \rule is held to 20 em (relative) or 200 pt (absolute): nothing near the 100,000 asked.
      largest: Math.max(...[...root.querySelectorAll('mspace')].map((el) => el.getBoundingClientRect().height)) / em,
      violations: (window as unknown as { __violations: string[] }).__violations,
    };
  });
  expect(found).toMatchObject({ xss: null, active: 0, links: 0, handlers: 0, styled: 0, ids: 0, violations: [] });
  expect(found.mathElements.filter((name) => !TEMML_ELEMENTS.has(name))).toEqual([]);
  expect(found.largest).toBeGreaterThan(1);
  expect(found.largest).toBeLessThanOrEqual(21);
  // What Temml cannot read, or will not for its depth, shows as its source, as code.
  await expect(reply.locator('code.math-source', { hasText: '\\href{javascript:' })).toHaveCount(1);
  await expect(reply.locator('pre.math-source')).toHaveCount(3);
  await expect(reply.locator('code.math-source', { hasText: '$x^{$' })).toHaveCount(1);
  await expect(reply.locator('code.math-source', { hasText: '\\ref{app}' })).toHaveCount(1);
  // Raw MathML in the markdown is text, like all raw HTML.
  await expect(reply).toContainText('<math><mtext><table><mglyph><style>');
});
