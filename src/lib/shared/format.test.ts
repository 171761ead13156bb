import { describe, expect, it } from 'vitest';
import { formatSeconds, formatTokenRate } from './format';

describe('formatTokenRate', () => {
  it('gives tokens per second from one a second up', () => {
    expect(formatTokenRate(312.4)).toBe('312 tok/s');
    expect(formatTokenRate(12.46)).toBe('12.5 tok/s');
    expect(formatTokenRate(3.46)).toBe('3.5 tok/s');
    expect(formatTokenRate(1)).toBe('1.0 tok/s');
  });

  it('gives seconds per token on devices slower than one token a second', () => {
    expect(formatTokenRate(0.5)).toBe('2.0 s/token');
    expect(formatTokenRate(1 / 14.2)).toBe('14 s/token');
    expect(formatTokenRate(0.04)).toBe('25 s/token');
  });

  it('says nothing was measured instead of printing zero', () => {
    expect(formatTokenRate(0)).toBe('— tok/s');
    expect(formatTokenRate(Number.NaN)).toBe('— tok/s');
  });
});

describe('formatSeconds', () => {
  it('says short spans to a tenth of a second, longer ones whole, minutes past a minute', () => {
    expect(formatSeconds(0)).toBe('0 s');
    expect(formatSeconds(420)).toBe('0.4 s');
    expect(formatSeconds(12_300)).toBe('12 s');
    expect(formatSeconds(59_700)).toBe('1 min');
    expect(formatSeconds(125_000)).toBe('2 min 5 s');
  });
});
