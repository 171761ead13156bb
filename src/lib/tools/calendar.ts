/**
 * Proleptic Gregorian dates as whole numbers of days since 1970-01-01 and back, and strict
 * reading of ISO `YYYY-MM-DD`. Pure arithmetic (Howard Hinnant's civil-date algorithms): no
 * `Date`, so no time zone, daylight saving or two-digit-year rule can move a date by one.
 */

export interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

export const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;
export const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const;

export const isLeapYear = (year: number): boolean => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

export function toDayNumber({ year, month, day }: CalendarDate): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * ((month + 9) % 12) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

export function fromDayNumber(dayNumber: number): CalendarDate {
  const z = dayNumber + 719468;
  const era = Math.floor(z / 146097);
  const dayOfEra = z - era * 146097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) / 365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const shiftedMonth = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * shiftedMonth + 2) / 5) + 1;
  const month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9;
  return { year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/** 1970-01-01, day 0, was a Thursday. */
export const weekdayOf = (dayNumber: number): (typeof WEEKDAYS)[number] => WEEKDAYS[(((dayNumber + 4) % 7) + 7) % 7]!;

export const isoOf = ({ year, month, day }: CalendarDate): string =>
  `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;

/** A date as `YYYY-MM-DD` (a time after it, `T…`, is ignored), or why it is not one. */
export function readIsoDate(text: string): { date: CalendarDate } | { problem: string } {
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:T[\d:.]*(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(text);
  if (!match) return { problem: 'write it as YYYY-MM-DD, for example 2026-01-05' };
  const [year, month, day] = match.slice(1, 4).map(Number) as [number, number, number];
  if (year < 1) return { problem: 'Nook counts years from 1' };
  if (month < 1 || month > 12) return { problem: `there is no month ${month}` };
  const length = daysInMonth(year, month);
  if (day < 1 || day > length) return { problem: `${MONTHS[month - 1]} ${year} has ${length} days` };
  return { date: { year, month, day } };
}
