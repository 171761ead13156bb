import { describe, expect, it } from 'vitest';
import { dateTime, type DateTimeArgs } from './date-time';

// Monday 5 January 2026, 23:30 in UTC: already Tuesday in Tokyo, still Monday in New York.
const NOW = new Date('2026-01-05T23:30:00Z');
const result = (args: DateTimeArgs, now = NOW) => {
  const outcome = dateTime(args, now);
  if (!outcome.ok) throw new Error(`expected a result, got: ${outcome.error}`);
  return outcome.result;
};
const error = (args: DateTimeArgs) => {
  const outcome = dateTime(args, NOW);
  if (outcome.ok) throw new Error(`expected an error, got: ${outcome.result}`);
  return outcome.error;
};

describe('dateTime', () => {
  it('tells the date, weekday and time in the time zone asked for', () => {
    expect(result({ operation: 'now', time_zone: 'UTC' })).toBe(
      'It is Monday, 5 January 2026, 23:30 in UTC (UTC+00:00). Today’s date is 2026-01-05.',
    );
    expect(result({ operation: 'now', time_zone: 'Asia/Tokyo' })).toBe(
      'It is Tuesday, 6 January 2026, 08:30 in Asia/Tokyo (UTC+09:00). Today’s date is 2026-01-06.',
    );
    expect(result({ operation: 'now', time_zone: 'America/New_York' })).toMatch(/^It is Monday, 5 January 2026, 18:30/);
    expect(result({ operation: 'now', time_zone: 'Asia/Kolkata' }, new Date('2026-07-01T18:30:00Z'))).toMatch(
      /Thursday, 2 July 2026, 00:00 in Asia\/Calcutta|Asia\/Kolkata/,
    );
    // No zone named: the device's, whatever it is.
    expect(result({ operation: 'now' })).toMatch(/^It is \w+day, \d+ \w+ 20\d\d, \d\d:\d\d in /);
  });

  it('refuses a time zone that does not exist', () => {
    expect(error({ operation: 'now', time_zone: 'Mars/Base' })).toBe(
      '“Mars/Base” is not a time zone Nook knows: use an IANA name such as Europe/Paris.',
    );
  });

  it('counts whole days between dates, in weeks and days too, in either order', () => {
    expect(result({ operation: 'difference', date: '2026-01-01', other_date: '2026-03-01' })).toBe(
      'From 2026-01-01 to 2026-03-01 is 59 days (8 weeks and 3 days).',
    );
    expect(result({ operation: 'difference', date: '2024-03-01', other_date: '2024-02-01' })).toBe(
      'From 2024-02-01 to 2024-03-01 is 29 days (4 weeks and 1 day).',
    );
    expect(result({ operation: 'difference', date: '2026-01-12', time_zone: 'UTC' })).toBe(
      'From 2026-01-05 (today) to 2026-01-12 is 7 days (1 week).',
    );
    expect(result({ operation: 'difference', date: '2026-01-06', time_zone: 'Asia/Tokyo' })).toBe(
      '2026-01-06 (today) and 2026-01-06 (today) are the same day.',
    );
    expect(result({ operation: 'difference', date: '2000-01-01', other_date: '2100-01-01' })).toBe(
      'From 2000-01-01 to 2100-01-01 is 36,525 days (5,217 weeks and 6 days).',
    );
  });

  it('adds days across month, year and leap-day boundaries', () => {
    expect(result({ operation: 'add_days', date: '2024-02-28', days: 1 })).toBe(
      '2024-02-28 + 1 day = 2024-02-29 (Thursday).',
    );
    expect(result({ operation: 'add_days', date: '2025-02-28', days: 1 })).toBe(
      '2025-02-28 + 1 day = 2025-03-01 (Saturday).',
    );
    expect(result({ operation: 'add_days', date: '2026-01-05', days: -10, time_zone: 'UTC' })).toBe(
      '2026-01-05 (today) - 10 days = 2025-12-26 (Friday).',
    );
    expect(result({ operation: 'add_days', days: 30, time_zone: 'UTC' })).toBe(
      '2026-01-05 (today) + 30 days = 2026-02-04 (Wednesday).',
    );
    expect(result({ operation: 'add_days', date: 'tomorrow', days: 0, time_zone: 'UTC' })).toBe(
      '2026-01-06 + 0 days = 2026-01-06 (Tuesday).',
    );
  });

  it('gives the weekday of a date', () => {
    expect(result({ operation: 'weekday', date: '2026-02-14' })).toBe('2026-02-14 is a Saturday.');
    expect(result({ operation: 'weekday', date: '2024-02-29' })).toBe('2024-02-29 is a Thursday.');
    expect(result({ operation: 'weekday', time_zone: 'UTC' })).toBe('2026-01-05 (today) is a Monday.');
  });

  it('refuses dates that do not exist or cannot be read, and bad day counts', () => {
    expect(error({ operation: 'weekday', date: '2026-02-30' })).toBe(
      '“2026-02-30” is not a valid date: February 2026 has 28 days.',
    );
    expect(error({ operation: 'weekday', date: '2025-02-29' })).toBe(
      '“2025-02-29” is not a valid date: February 2025 has 28 days.',
    );
    expect(error({ operation: 'difference', date: 'tomorrowish' })).toBe(
      '“tomorrowish” is not a valid date: write it as YYYY-MM-DD, for example 2026-01-05.',
    );
    expect(error({ operation: 'difference' })).toMatch(/needs a date/);
    expect(error({ operation: 'weekday', date: 'constructor' })).toMatch(/^“constructor” is not a valid date/);
    expect(error({ operation: 'add_days', date: '2026-01-05' })).toMatch(/needs days as a whole number/);
    expect(error({ operation: 'add_days', date: '2026-01-05', days: 1.5 })).toMatch(/whole number/);
    expect(error({ operation: 'add_days', date: '9999-12-31', days: 1 })).toBe(
      'The date tool works with years 1 to 9999 only.',
    );
    expect(error({ operation: 'add_days', date: '2026-01-05', days: 1e12 })).toMatch(/at most 1,000,000 days/);
    expect(error({ operation: 'yesterday' as never })).toMatch(/has no operation “yesterday”/);
  });
});
