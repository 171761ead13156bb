/**
 * The calculator tool: an arithmetic expression in, its value as text out, with exact decimal
 * arithmetic (`0.1 + 0.2 = 0.3`, `2^100` to the last digit). mathjs parses; `expression.ts`
 * evaluates over an allowlist; nothing is ever passed to `eval` or `Function`.
 *
 * Percentages follow mathjs: `15%` is 0.15, so `15% * 80` is 12; `200 + 10%` is 220 and
 * `200 - 10%` is 180 (a percentage added to or taken from the value before it); `20 % 3` with a
 * number after it is the remainder, 2. Nook adds `15% of 80` (read as `15% * 80`).
 */
import { CalculationError, evaluateTree } from './expression';
import { formatNumber } from './format-number';
import { loadMath } from './load-math';
import { failed, succeeded, type ToolOutcome } from './types';

export const EXPRESSION_LIMIT = 500;

/**
 * Below this fraction of the largest value added, subtracted or taken the sine of, a rounded result
 * is noise from the 64-digit arithmetic (`sin(pi)` is 3e-64, `(1/3)*3 - 1` is -1e-64) and is shown as 0.
 */
const NOISE = '1e-50';

/** What people and models write that mathjs reads otherwise, or not at all. */
function normalize(expression: string): string {
  return expression
    .replace(/[×✕]/g, '*')
    .replace(/÷/g, '/')
    .replace(/[−–]/g, '-')
    .replace(/\*\*/g, '^')
    .replace(/%\s*of\b/gi, '% *');
}

export async function calculate(expression: string): Promise<ToolOutcome> {
  const trimmed = expression.trim();
  if (!trimmed) return failed('The calculator was given an empty expression.');
  if (trimmed.length > EXPRESSION_LIMIT) {
    return failed(
      `The expression is too long for the calculator (${trimmed.length} characters; the limit is ${EXPRESSION_LIMIT}).`,
    );
  }
  const { calculatorMath: math, PRECISION, restoreDecimalSettings } = await loadMath();
  let tree;
  try {
    tree = math.parse(normalize(trimmed));
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    // mathjs ends its syntax messages with the position, "(char 4)": the quoted text says where.
    const reason = error.message.replace(/\s*\(char \d+\)$/, '');
    return failed(`The calculator could not read “${trimmed}”: ${lowerFirst(reason)}.`);
  }
  try {
    const { value, scale, rounded } = evaluateTree(math, PRECISION, tree);
    const noise = rounded && value.abs().lt(scale.times(NOISE));
    const shown = formatNumber(noise ? math.bignumber(0) : value);
    return succeeded(`${trimmed} ${shown.exact && !rounded ? '=' : '≈'} ${shown.text}`);
  } catch (error) {
    if (error instanceof CalculationError) return failed(error.message);
    // A function's own refusal (the factorial of 2.5, the gcd of 12.5): its words, our sentence.
    const reason = error instanceof Error ? error.message : String(error);
    return failed(`The calculator could not work out “${trimmed}”: ${reason}.`);
  } finally {
    restoreDecimalSettings();
  }
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
