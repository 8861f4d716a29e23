const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: 'numeric', day: 'numeric' });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

export interface CalendarDay {
  year: number;
  month: number;
  day: number;
}

/** The calendar day of an instant in a time zone (IANA name such as `Asia/Shanghai`). */
export function calendarDay(ms: number, timeZone: string): CalendarDay {
  const parts = formatterFor(timeZone).formatToParts(new Date(ms));
  const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value);
  return { year: get('year'), month: get('month'), day: get('day') };
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
