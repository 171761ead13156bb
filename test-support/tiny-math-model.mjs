// "Nook Tiny Math": the tiny model (make-tiny-model.mjs, its plain template) whose reply holds TeX —
// inline math, display math, prices written with dollars and a dollar in inline code — so the e2e
// suite can see math rendered from a real engine's stream. The model server serves it as
// /models/math.gguf.
//
// Its tokens cut the formulas in pieces (" $\pi", " r^2$"), so a streaming reply passes through
// unfinished delimiters as a real model's does. The reply does not end by itself: it runs round
// again until the token limit, so a test can keep it streaming as long as it needs (a full
// cycle is `tokens.length` tokens).
//
// No top-level Node imports: the preset also builds in a browser.
import { makeTinyModel } from './make-tiny-model.mjs';

const MATH_TOKENS = Object.freeze([
  'The',
  ' area',
  ' of',
  ' a circle',
  ' is',
  ' $\\pi',
  ' r^2$',
  ';',
  ' paint',
  ' for',
  ' it',
  ' costs',
  ' between',
  ' $5',
  ' and',
  ' $10',
  '.\n\n',
  '$$\\int_0^1',
  ' x^2\\,dx',
  ' =',
  ' \\frac{1}{3}$$',
  '\n\n',
  'In',
  ' a shell',
  ' `echo',
  ' $HOME`',
  ' stays',
  ' code',
  '.\n\n\n',
]);

export const TINY_MATH = Object.freeze({
  name: 'Nook Tiny Math',
  /** One cycle of the reply, token by token. */
  tokens: MATH_TOKENS,
  /** One cycle of the reply as text (markdown). */
  text: MATH_TOKENS.join(''),
  /** The prose as a reader sees it, dollars and all. */
  prices: 'costs between $5 and $10.',
  inlineTex: '\\pi r^2',
  displayTex: '\\int_0^1 x^2\\,dx = \\frac{1}{3}',
  code: 'echo $HOME',
  options: Object.freeze({
    name: 'Nook Tiny Math',
    reply: MATH_TOKENS,
    // Room for thousands of tokens: a reply that streams for as long as a test needs.
    contextLength: 4096,
  }),
});

let model;
/** The GGUF file, made once (at its first request). */
export function tinyMathModel() {
  model ??= makeTinyModel(TINY_MATH.options);
  return model;
}
