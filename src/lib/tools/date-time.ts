/**
 * The date and time tool: what time it is now in a time zone, the days between two dates, a date
 * some days from another, the weekday of a date. Times come from `Intl` (every browser has its
 * time zone data); calendar sums are whole days in `calendar.ts`, so Temporal is not needed.
 * Pure given `now`: the only thing it reads from the device is its time zone, when none is named.
 */
import { fromDayNumber, isoOf, MONTHS, readIsoDate, toDayNumber, weekdayOf, type CalendarDate } from './calendar';
import { failed, succeeded, type ToolOutcome } from './types';

export type DateTimeOperation = 'now' | 'difference' | 'add_days' | 'weekday';
export const DATE_TIME_OPERATIONS: readonly DateTimeOperation[] = ['now', 'difference', 'add_days', 'weekday'];

export interface DateTimeArgs {
  operation: DateTimeOperation;
  date?: string;
  other_date?: string;
  days?: number;
  time_zone?: string;
}

/** Far enough for any question about a calendar, near enough to stay within years 1 to 9999. */
const DAYS_LIMIT = 1_000_000;
const FIRST_DAY = toDayNumber({ year: 1, month: 1, day: 1 });
const LAST_DAY = toDayNumber({ year: 9999, month: 12, day: 31 });

const RELATIVE_DAYS = new Map([
  ['yesterday', -1],
  ['today', 0],
  ['tomorrow', 1],
]);

interface Clock {
  zone: string;
  today: number;
  time: string;
  offset: string;
}

export function dateTime(args: DateTimeArgs, now: Date = new Date()): ToolOutcome {
  const clock = clockIn(args.time_zone, now);
  if ('problem' in clock) return failed(clock.problem);
  const { operation } = args;
  switch (operation) {
    case 'now': {
      const today = fromDayNumber(clock.today);
      return succeeded(
        `It is ${weekdayOf(clock.today)}, ${longDate(today)}, ${clock.time} in ${clock.zone} (${clock.offset}). ` +
          `Today’s date is ${isoOf(today)}.`,
      );
    }
    case 'difference': {
      if (!args.date?.trim()) return failed('To count days, the date tool needs a date (and optionally other_date).');
      const first = dayOf(args.date, clock);
      if (typeof first === 'string') return failed(first);
      const second = args.other_date?.trim() ? dayOf(args.other_date, clock) : clock.today;
      if (typeof second === 'string') return failed(second);
      const [from, to] = first <= second ? [first, second] : [second, first];
      if (from === to) return succeeded(`${named(from, clock)} and ${named(to, clock)} are the same day.`);
      const days = to - from;
      const weeks = Math.floor(days / 7);
      const split = weeks > 0 ? ` (${count(weeks, 'week')}${days % 7 ? ` and ${count(days % 7, 'day')}` : ''})` : '';
      return succeeded(`From ${named(from, clock)} to ${named(to, clock)} is ${count(days, 'day')}${split}.`);
    }
    case 'add_days': {
      const { days } = args;
      if (typeof days !== 'number' || !Number.isInteger(days)) {
        return failed('To add days, the date tool needs days as a whole number (negative to go back).');
      }
      if (Math.abs(days) > DAYS_LIMIT)
        return failed(`The date tool adds at most ${DAYS_LIMIT.toLocaleString('en')} days.`);
      const start = args.date?.trim() ? dayOf(args.date, clock) : clock.today;
      if (typeof start === 'string') return failed(start);
      const end = start + days;
      if (end < FIRST_DAY || end > LAST_DAY) return failed('The date tool works with years 1 to 9999 only.');
      const sign = days < 0 ? '-' : '+';
      return succeeded(
        `${named(start, clock)} ${sign} ${count(Math.abs(days), 'day')} = ${isoOf(fromDayNumber(end))} (${weekdayOf(end)}).`,
      );
    }
    case 'weekday': {
      const day = args.date?.trim() ? dayOf(args.date, clock) : clock.today;
      if (typeof day === 'string') return failed(day);
      return succeeded(`${named(day, clock)} is a ${weekdayOf(day)}.`);
    }
    default:
      // Not `assertNever`: a caller other than runTool may pass a model's word unchecked.
      return failed(`The date tool has no operation “${String(operation)}”: use ${DATE_TIME_OPERATIONS.join(', ')}.`);
  }
}

/** Today's date and the wall-clock time in a zone, or why the zone is not one. */
function clockIn(timeZone: string | undefined, now: Date): Clock | { problem: string } {
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: timeZone?.trim() || undefined,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'longOffset',
    });
  } catch (error) {
    if (error instanceof RangeError) {
      return { problem: `“${timeZone}” is not a time zone Nook knows: use an IANA name such as Europe/Paris.` };
    }
    throw error;
  }
  if (Number.isNaN(now.getTime())) return { problem: 'The device clock gave no valid time.' };
  const parts = Object.fromEntries(format.formatToParts(now).map(({ type, value }) => [type, value]));
  const today = toDayNumber({ year: Number(parts.year), month: Number(parts.month), day: Number(parts.day) });
  // Some engines write midnight as 24 even in the h23 cycle.
  const time = `${parts.hour === '24' ? '00' : parts.hour}:${parts.minute}`;
  const offset = (parts.timeZoneName ?? 'GMT').replace(/^GMT/, 'UTC');
  return { zone: format.resolvedOptions().timeZone, today, time, offset: offset === 'UTC' ? 'UTC+00:00' : offset };
}

/** The day number of what the model wrote, or a sentence saying why it is not a date. */
function dayOf(text: string, clock: Clock): number | string {
  const written = text.trim();
  const relative = RELATIVE_DAYS.get(written.toLowerCase());
  if (relative !== undefined) return clock.today + relative;
  const read = readIsoDate(written);
  if ('problem' in read) return `“${written}” is not a valid date: ${read.problem}.`;
  return toDayNumber(read.date);
}

function named(day: number, clock: Clock): string {
  const iso = isoOf(fromDayNumber(day));
  return day === clock.today ? `${iso} (today)` : iso;
}

const longDate = ({ year, month, day }: CalendarDate) => `${day} ${MONTHS[month - 1]} ${year}`;
const count = (n: number, unit: string) => `${n.toLocaleString('en')} ${unit}${n === 1 ? '' : 's'}`;
