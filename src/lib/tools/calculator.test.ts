import { beforeAll, describe, expect, it } from 'vitest';
import { calculate, EXPRESSION_LIMIT } from './calculator';
import { loadMath } from './load-math';

const result = async (expression: string) => {
  const outcome = await calculate(expression);
  if (!outcome.ok) throw new Error(`expected a result for ${expression}, got: ${outcome.error}`);
  return outcome.result;
};
const error = async (expression: string) => {
  const outcome = await calculate(expression);
  if (outcome.ok) throw new Error(`expected an error for ${expression}, got: ${outcome.result}`);
  return outcome.error;
};

describe('calculate', () => {
  // The first load of mathjs takes seconds on a slow machine; the tests time the tool, not that.
  beforeAll(() => loadMath(), 60_000);

  it('adds decimals exactly and keeps big integers to the last digit', async () => {
    expect(await result('0.1 + 0.2')).toBe('0.1 + 0.2 = 0.3');
    expect(await result('123456789 * 987654321')).toBe('123456789 * 987654321 = 121932631112635269');
    expect(await result('2^100')).toBe('2^100 = 1267650600228229401496703205376');
    expect(await result('(1 + 2) * 3 - 4 / 8')).toBe('(1 + 2) * 3 - 4 / 8 = 8.5');
    expect(await result('sqrt(144)')).toBe('sqrt(144) = 12');
  });

  it('rounds what cannot be exact to 15 significant digits, and says so', async () => {
    expect(await result('1/3')).toBe('1/3 ≈ 0.333333333333333');
    expect(await result('sqrt(2)')).toBe('sqrt(2) ≈ 1.4142135623731');
    expect(await result('2 pi')).toBe('2 pi ≈ 6.28318530717959');
    // Rounding noise of the 64-digit arithmetic is not shown as a tiny number.
    expect(await result('sin(pi)')).toBe('sin(pi) ≈ 0');
    expect(await result('(1/3) * 3 - 1')).toBe('(1/3) * 3 - 1 ≈ 0');
    expect(await result('1e-30 * 2')).toBe('1e-30 * 2 = 2e-30');
  });

  it('writes huge and tiny results in scientific notation', async () => {
    expect(await result('10^10000')).toBe('10^10000 = 1e+10000');
    expect(await result('2^200')).toBe('2^200 ≈ 1.60693804425899e+60');
    expect(await result('1000!')).toBe('1000! ≈ 4.02387260077094e+2567');
    expect(await result('10^-10000')).toBe('10^-10000 = 1e-10000');
    expect(await result('2^-1074')).toBe('2^-1074 ≈ 4.94065645841247e-324');
    expect(await result('sqrt(1e-101)')).toBe('sqrt(1e-101) ≈ 3.16227766016838e-51');
    expect((await result('9^9^9')).length).toBeLessThan(60);
  });

  it('reads percentages as mathjs does, and “of”', async () => {
    expect(await result('15% of 80')).toBe('15% of 80 = 12');
    expect(await result('15% * 80')).toBe('15% * 80 = 12');
    expect(await result('200 + 10%')).toBe('200 + 10% = 220');
    expect(await result('200 - 10%')).toBe('200 - 10% = 180');
    expect(await result('50%')).toBe('50% = 0.5');
    expect(await result('20 % 3')).toBe('20 % 3 = 2');
  });

  it('accepts the symbols people type', async () => {
    expect(await result('6 × 7')).toBe('6 × 7 = 42');
    expect(await result('1 ÷ 4')).toBe('1 ÷ 4 = 0.25');
    expect(await result('5 − 8')).toBe('5 − 8 = -3');
    expect(await result('2 ** 10')).toBe('2 ** 10 = 1024');
    expect(await result('ln(e)')).toBe('ln(e) ≈ 1');
    expect(await result('2π')).toBe('2π ≈ 6.28318530717959');
  });

  it('refuses division by zero and results that are not real or finite', async () => {
    expect(await error('1/0')).toBe('Division by zero has no result (in “1 / 0”).');
    expect(await error('0/0')).toMatch(/^Division by zero/);
    expect(await error('5 % 0')).toMatch(/^Division by zero/);
    expect(await error('0^-1')).toMatch(/^Division by zero/);
    expect(await error('1 + 1/(2-2)')).toMatch(/^Division by zero/);
    expect(await error('sqrt(-4)')).toBe('“sqrt(-4)” has no real-number result.');
    expect(await error('log(0)')).toBe('“log(0)” has no finite result.');
    expect(await error('10^10^20')).toMatch(/is too large for the calculator\.$/);
    expect(await error('100000!')).toMatch(/too large: the calculator stops at 10000!/);
  });

  it('says what it could not read', async () => {
    expect(await error('2 +')).toBe('The calculator could not read “2 +”: unexpected end of expression.');
    expect(await error('   ')).toBe('The calculator was given an empty expression.');
    expect(await error('1+'.repeat(EXPRESSION_LIMIT))).toMatch(/^The expression is too long for the calculator/);
    expect(await error('x + 1')).toMatch(/^The calculator does not know “x”: it takes numbers/);
    expect(await error('foo(2)')).toMatch(/^The calculator has no function “foo”/);
    expect(await error('sqrt(1, 2)')).toBe('The function “sqrt” takes 1 argument, not 2.');
    expect(await error('"text"')).toMatch(/only works with numbers/);
    expect(await error('[1, 2]')).toMatch(/only works with numbers/);
    expect(await error('2 < 3')).toBe('The calculator does not support the operator “<”.');
    expect(await error('5 km')).toMatch(/does not know “km”/);
  });

  it('cannot define anything or reach mathjs’s own parser, importer or unit maker', async () => {
    expect(await error('import({}, {})')).toMatch(/^The calculator has no function “import”/);
    expect(await error('createUnit("x")')).toMatch(/^The calculator has no function “createUnit”/);
    expect(await error('evaluate("1")')).toMatch(/^The calculator has no function “evaluate”/);
    expect(await error('parse("1")')).toMatch(/no function “parse”/);
    expect(await error('simplify("x")')).toMatch(/no function “simplify”/);
    expect(await error('x = 3')).toBe('The calculator cannot define variables or functions (“x = 3”).');
    expect(await error('f(x) = x^2')).toMatch(/cannot define variables or functions/);
    expect(await error('a.constructor("return 1")()')).toMatch(/^The calculator/);
    expect(await error('1; 2')).toMatch(/only works with numbers/);
    expect(await error('constructor')).toMatch(/^The calculator does not know “constructor”/);
    expect(await error('toString(1)')).toMatch(/^The calculator has no function “toString”/);
  });

  it('passes on a function’s own refusal as a sentence', async () => {
    expect(await error('2.5!')).toMatch(/^The calculator could not work out “2\.5!”: .+\.$/);
    expect(await error('1e9999999999999999')).toBe('A number in the expression is too large for the calculator.');
    expect(await error('sin(1e100)')).toBe('The angle in “sin(1e+100)” is too large for the calculator.');
  });

  it('leaves decimal.js at 64 digits after a function that failed half-way', async () => {
    const { calculatorMath: math } = await loadMath();
    // decimal.js raises its precision for a huge angle, then throws and leaves it raised.
    expect(() => math.sin(math.bignumber('1e10000'))).toThrow();
    expect(math.bignumber(1).div(3).sd()).toBeGreaterThan(64);
    await calculate('1 + 1');
    expect(math.bignumber(1).div(3).sd()).toBe(64);
  });
});
