import { describe, expect, it } from 'vitest';
import { fromDayNumber, isoOf, readIsoDate, toDayNumber, weekdayOf } from './calendar';

describe('calendar', () => {
  it('counts days from 1970-01-01 both ways, across leap years and centuries', () => {
    expect(toDayNumber({ year: 1970, month: 1, day: 1 })).toBe(0);
    expect(toDayNumber({ year: 2000, month: 3, day: 1 })).toBe(Date.UTC(2000, 2, 1) / 86_400_000);
    expect(toDayNumber({ year: 1900, month: 3, day: 1 }) - toDayNumber({ year: 1900, month: 2, day: 28 })).toBe(1);
    for (const day of [-719162, -1, 0, 59, 11016, 20454, 2932896]) {
      expect(toDayNumber(fromDayNumber(day))).toBe(day);
      expect(isoOf(fromDayNumber(day))).toBe(new Date(day * 86_400_000).toISOString().slice(0, 10));
    }
  });

  it('knows the weekday of any day', () => {
    expect(weekdayOf(0)).toBe('Thursday');
    expect(weekdayOf(-1)).toBe('Wednesday');
    expect(weekdayOf(toDayNumber({ year: 2024, month: 2, day: 29 }))).toBe('Thursday');
    expect(weekdayOf(toDayNumber({ year: 1, month: 1, day: 1 }))).toBe('Monday');
  });

  it('reads ISO dates strictly, with leap years', () => {
    expect(readIsoDate('2024-02-29')).toEqual({ date: { year: 2024, month: 2, day: 29 } });
    expect(readIsoDate('2000-02-29')).toEqual({ date: { year: 2000, month: 2, day: 29 } });
    expect(readIsoDate('2025-02-29')).toEqual({ problem: 'February 2025 has 28 days' });
    expect(readIsoDate('1900-02-29')).toEqual({ problem: 'February 1900 has 28 days' });
    expect(readIsoDate('2026-04-31')).toEqual({ problem: 'April 2026 has 30 days' });
    expect(readIsoDate('2026-13-01')).toEqual({ problem: 'there is no month 13' });
    expect(readIsoDate('2026-01-05T10:30:00Z')).toEqual({ date: { year: 2026, month: 1, day: 5 } });
    expect(readIsoDate('5 January 2026')).toHaveProperty('problem');
    expect(readIsoDate('2026-1-5')).toHaveProperty('problem');
  });
});
