/**
 * How a calculator value is written back: integers exactly up to 40 digits, other numbers to 15
 * significant digits with no trailing zeros, and anything huge or tiny in scientific notation (so
 * `10^10000` is `1e+10000`, never ten thousand digits a small model would have to read).
 */
import type { BigNumber } from 'mathjs';

export const EXACT_INTEGER_DIGITS = 40;
export const SIGNIFICANT_DIGITS = 15;

export interface FormattedNumber {
  text: string;
  /** The text is the value itself, not a rounding of it. */
  exact: boolean;
}

export function formatNumber(value: BigNumber): FormattedNumber {
  if (value.isZero()) return { text: '0', exact: true };
  // decimal.js counts the exponent of the leading digit: 1234 has e = 3.
  if (value.isInteger() && value.e < EXACT_INTEGER_DIGITS) return { text: value.toFixed(), exact: true };
  const shown = value.toSignificantDigits(SIGNIFICANT_DIGITS);
  const plain = shown.e >= -6 && shown.e < SIGNIFICANT_DIGITS;
  return { text: plain ? shown.toFixed() : shown.toExponential(), exact: shown.eq(value) };
}
