const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** What a clock on the wall shows at an instant in a time zone (IANA name such as `Asia/Shanghai`). */
export function wallClock(ms: number, timeZone: string): WallClock {
  const parts = formatterFor(timeZone).formatToParts(new Date(ms));
  const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value);
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour'), minute: get('minute'), second: get('second') };
}

/** A wall clock's reading as a UTC time value; years 0-99 are those years, not 19xx as Date.UTC makes them. */
export function wallClockValue(t: WallClock, ms = 0): number {
  const date = new Date(Date.UTC(2000, t.month - 1, t.day, t.hour, t.minute, t.second, ms));
  return date.setUTCFullYear(t.year + (date.getUTCFullYear() - 2000));
}

/** Offset of a time zone from UTC at an instant, in ms (positive east of Greenwich). */
export function zoneOffset(ms: number, timeZone: string): number {
  return wallClockValue(wallClock(ms, timeZone)) - Math.floor(ms / 1000) * 1000;
}

/**
 * The instant at which a time zone's clocks show `wall` (a wall-clock reading
 * as a UTC time value, see wallClockValue). A reading the clocks skip or show
 * twice (daylight saving) is taken at the offset in force just before.
 */
export function fromWallClock(wall: number, timeZone: string): number {
  const guess = wall - zoneOffset(wall, timeZone);
  return wall - zoneOffset(guess, timeZone);
}

export interface CalendarDay {
  year: number;
  month: number;
  day: number;
}

/** The calendar day of an instant in a time zone (IANA name such as `Asia/Shanghai`). */
export function calendarDay(ms: number, timeZone: string): CalendarDay {
  const { year, month, day } = wallClock(ms, timeZone);
  return { year, month, day };
}

/** `M-D` without leading zeros, as list entries show it (FORMAT.md). */
export function renderMonthDay(ms: number, timeZone: string): string {
  const { month, day } = calendarDay(ms, timeZone);
  return `${month}-${day}`;
}

/** `YYYY-MM`: the monthly list an article belongs to. */
export function monthKey(ms: number, timeZone: string): string {
  const { year, month } = calendarDay(ms, timeZone);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}`;
}

/** True when the name is an IANA time zone this Node.js knows. */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
