import type { FeedItem } from '../domain/feed-item.js';
import { fromWallClock, isTimeZone, wallClockValue, type WallClock } from '../domain/calendar.js';

/** A feed date read: `ms` since the epoch, and whether the feed gave no zone (then `ms` reads the clock as UTC). */
export interface FeedDate {
  ms: number;
  zoneless: boolean;
}

/**
 * Feed dates to epoch milliseconds. Feeds write RFC 822 (RSS 2.0: "All
 * date-times in RSS conform to the Date and Time Specification of RFC 822, with
 * the exception that the year may be expressed with two characters or four")
 * or RFC 3339 (Atom, JSON Feed, dc:date), and get both wrong in every way:
 * missing seconds, extra spaces, zone names, no zone at all. A date we cannot
 * read is undefined, never NaN and never a guess: a date is archived for
 * good, and the time an item is first seen is a better stand-in than a
 * wrong date. A date without a zone is read in `defaultZone` (an IANA name,
 * a source's `timezone`), else as UTC, as feedparser does.
 */
export function parseFeedDate(raw: string | undefined, defaultZone?: string): number | undefined {
  const date = readFeedDate(raw);
  if (date === undefined) return undefined;
  return date.zoneless && defaultZone !== undefined ? fromWallClock(date.ms, defaultZone) : date.ms;
}

/** Sets an item's `published` (and `zoneless`) from the date text the feed gives, when it is a usable date. */
export function setFeedDate(item: Pick<FeedItem, 'published' | 'zoneless'>, raw: string | undefined): void {
  const date = readFeedDate(raw);
  if (date === undefined) return;
  item.published = date.ms;
  if (date.zoneless) item.zoneless = true;
}

export function readFeedDate(raw: string | undefined): FeedDate | undefined {
  if (raw === undefined) return undefined;
  // A trailing comment such as "+0800 (CST)" is legal RFC 822 and says nothing more.
  const value = raw.replace(/\s*\([^)]*\)\s*$/, '').trim().replace(/\s+/g, ' ');
  if (value === '') return undefined;
  const parts = ISO_8601.test(value) ? isoParts(ISO_8601.exec(value)) : ISO_BASIC.test(value) ? isoParts(ISO_BASIC.exec(value)) : RFC_822.test(value) ? rfc822Parts(value) : looseParts(value);
  // Only a shape none of the grammars knows goes to the token reader: a date
  // a grammar recognised but found impossible (31 Feb) stays unusable.
  return parts === undefined ? undefined : build(parts);
}

/** Minutes east of UTC, or an IANA zone whose offset depends on the date; undefined: no zone given. */
type Zone = number | string | undefined;

interface DateParts extends WallClock {
  ms: number;
  zone: Zone;
}

const IANA = '[a-z_]+(?:/[a-z0-9_+-]+)+';

// ISO 8601 extended format, down to its reduced precisions (YYYY, YYYY-MM, ...Thh).
const ISO_8601 = new RegExp(
  `^(\\d{4})(?:-(\\d{1,2})(?:-(\\d{1,2})(?:[T ](\\d{1,2})(?::(\\d{2})(?::(\\d{2})(?:[.,](\\d+))?)?)?)?)?)? ?(Z|UTC|GMT|[+-]\\d{2}(?::?\\d{2})?|${IANA})?$`,
  'i',
);
// ISO 8601 basic format: 20230926T091501Z.
const ISO_BASIC = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(?:(\d{2})(?:(\d{2})(?:[.,](\d+))?)?)?)?(Z|[+-]\d{2}(?:\d{2})?)?$/i;

function isoParts(m: RegExpExecArray | null): DateParts | undefined {
  if (m === null) return undefined;
  const zone = m[8] === undefined ? undefined : zoneOffset(m[8]);
  if (m[8] !== undefined && zone === undefined) return undefined;
  return {
    year: Number(m[1]),
    month: Number(m[2] ?? 1),
    day: Number(m[3] ?? 1),
    hour: Number(m[4] ?? 0),
    minute: Number(m[5] ?? 0),
    second: Number(m[6] ?? 0),
    ms: m[7] === undefined ? 0 : Math.round(Number(`0.${m[7]}`) * 1000),
    zone,
  };
}

// [Day,] DD Mon YYYY [HH:MM[:SS]] [zone]; day names, commas and case vary.
const RFC_822 = new RegExp(
  `^(?:[a-z]+,? ?)?(\\d{1,2})[ -]([a-z]+)\\.?[ -](\\d{2}|\\d{4})(?:,? (\\d{1,2}):(\\d{2})(?::(\\d{2}))?(?:\\.\\d+)?)?(?: ?([a-z]{1,5}(?:[+-]\\d{1,4}(?::\\d{2})?)?|[+-]\\d{2}:?\\d{2}|${IANA}))?$`,
  'i',
);

function rfc822Parts(value: string): DateParts | undefined {
  const m = RFC_822.exec(value);
  if (m === null) return undefined;
  const month = monthNumber(m[2] ?? '');
  const zone = m[7] === undefined ? undefined : zoneOffset(m[7]);
  if (month === undefined || (m[7] !== undefined && zone === undefined)) return undefined;
  return {
    year: fullYear(m[3] ?? ''),
    month,
    day: Number(m[1]),
    hour: Number(m[4] ?? 0),
    minute: Number(m[5] ?? 0),
    second: Number(m[6] ?? 0),
    ms: 0,
    zone,
  };
}

/**
 * Shapes neither grammar covers ("Sep 26, 2023 09:15", "2023/09/26 09:15:01",
 * JavaScript's "Tue Sep 26 2023 17:15:01 GMT+0800", asctime), read token by
 * token: every token must be a day or month name, a four-digit year, a day
 * of the month, one time, AM/PM or one zone after the time, each at most once. Anything
 * else ("Dec x 2012", a time "1:2:3:4", a day and month in digits, which
 * could be either order) is no date.
 */
function looseParts(value: string): DateParts | undefined {
  const found: Partial<Record<'year' | 'month' | 'day' | 'time' | 'meridiem' | 'weekday' | 'zone', string>> = {};
  const take = (key: keyof typeof found, token: string): boolean => (found[key] === undefined ? ((found[key] = token), true) : false);
  let date: RegExpExecArray | null = null;
  // "-" and "@" only join a date and its time (Drupal's "September 26, 2023 - 09:15").
  for (const token of value.split(/[\s,]+/).filter((t) => t !== '' && t !== '-' && t !== '@')) {
    const lower = token.toLowerCase().replace(/\.$/, '');
    const ok =
      ((date = /^(\d{4})[/-](\d{1,2})[/-](\d{1,2})$/.exec(token)) !== null && take('year', date[1] ?? '') && take('month', date[2] ?? '') && take('day', date[3] ?? '')) ||
      (/^\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?$/.test(token) && take('time', token)) ||
      (/^[ap]\.?m\.?$/.test(lower) && take('meridiem', lower.charAt(0))) ||
      (/^\d{4}$/.test(token) && take('year', token)) ||
      (/^\d{1,2}(?:st|nd|rd|th)?$/.test(lower) && take('day', String(parseInt(lower, 10)))) ||
      (monthName(lower) !== undefined && take('month', String(monthName(lower)))) ||
      (lower.length >= 3 && DAYS.some((d) => d.startsWith(lower)) && take('weekday', lower)) ||
      (found.time !== undefined && zoneOffset(token) !== undefined && !/^[a-z]$/i.test(token) && take('zone', token));
    if (!ok) return undefined;
  }
  if (found.year === undefined || found.month === undefined || found.day === undefined) return undefined;
  const [h = '0', min = '0', s = '0'] = (found.time ?? '0:00').split(':');
  let hour = Number(h);
  if (found.meridiem !== undefined) {
    if (found.time === undefined || hour < 1 || hour > 12) return undefined;
    hour = (hour % 12) + (found.meridiem === 'p' ? 12 : 0);
  }
  const second = Number(s);
  return {
    year: Number(found.year),
    month: Number(found.month),
    day: Number(found.day),
    hour,
    minute: Number(min),
    second: Math.floor(second),
    ms: Math.round((second % 1) * 1000),
    zone: found.zone === undefined ? undefined : zoneOffset(found.zone),
  };
}

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const DAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

/** "sep", "sept", "september": a month's name or its start (three letters at least). */
function monthName(lower: string): number | undefined {
  if (lower.length < 3) return undefined;
  const index = MONTHS.findIndex((m) => m.startsWith(lower));
  return index === -1 ? undefined : index + 1;
}

function monthNumber(name: string): number | undefined {
  const index = MONTHS.findIndex((m) => m.startsWith(name.slice(0, 3).toLowerCase()));
  return index === -1 ? undefined : index + 1;
}

/** RFC 2822 §4.3: two-digit years below 50 are 20xx, the others 19xx. */
function fullYear(text: string): number {
  const year = Number(text);
  if (text.length === 4) return year;
  return year < 50 ? 2000 + year : 1900 + year;
}

/**
 * RFC 822 §5.1 zone names, plus the ones feeds use anyway. CST is North
 * American Central Standard Time, as RFC 822 has it (a Chinese feed's "CST"
 * is usually written beside +0800, which wins). A name without S or D (ET, PT)
 * takes the offset in force on that date: it is the zone's own time.
 */
const ZONES: Record<string, number | string> = {
  z: 0,
  ut: 0,
  utc: 0,
  gmt: 0,
  est: -5 * 60,
  edt: -4 * 60,
  et: 'America/New_York',
  cst: -6 * 60,
  cdt: -5 * 60,
  ct: 'America/Chicago',
  mst: -7 * 60,
  mdt: -6 * 60,
  mt: 'America/Denver',
  pst: -8 * 60,
  pdt: -7 * 60,
  pt: 'America/Los_Angeles',
  ast: -4 * 60,
  adt: -3 * 60,
  at: 'America/Halifax',
  bst: 60,
  cet: 60,
  cest: 2 * 60,
  met: 60,
  mest: 2 * 60,
  mez: 60,
  mesz: 2 * 60,
  hkt: 8 * 60,
  jst: 9 * 60,
  kst: 9 * 60,
};

/** No zone on Earth is further than 14 hours from UTC: a larger offset is a broken date. */
const MAX_OFFSET_MINUTES = 14 * 60;

/** "+0800", "+08:00", "+08", "GMT+8", "EST", "Etc/GMT", "Asia/Shanghai"...; undefined when unknown or impossible. */
function zoneOffset(zone: string): Zone {
  const lower = zone.toLowerCase();
  const numeric = /^([a-z]*)([+-])(\d{1,2})(?::?(\d{2}))?$/.exec(lower);
  if (numeric !== null) {
    const base = numeric[1] === '' ? 0 : ZONES[numeric[1] ?? ''];
    const minutes = Number(numeric[3]) * 60 + Number(numeric[4] ?? 0);
    if (typeof base !== 'number' || Number(numeric[4] ?? 0) > 59 || minutes > MAX_OFFSET_MINUTES) return undefined;
    return base + (numeric[2] === '-' ? -minutes : minutes);
  }
  if (Object.hasOwn(ZONES, lower)) return ZONES[lower];
  // RFC 822 military zones are notoriously inverted in the RFC itself; RFC 2822
  // §4.3 says to read any of them as +0000.
  if (/^[a-ik-z]$/.test(lower)) return 0;
  if (zone.includes('/') && isTimeZone(zone)) return zone;
  return undefined;
}

function build(p: DateParts): FeedDate | undefined {
  if (p.year < 1 || p.month < 1 || p.month > 12 || p.day < 1 || p.day > 31) return undefined;
  if (p.hour > 24 || p.minute > 59 || p.second > 60) return undefined;
  if (p.hour === 24 && (p.minute > 0 || p.second > 0 || p.ms > 0)) return undefined;
  // A leap second (:60) is read as the last second of its minute.
  const wall = wallClockValue({ ...p, second: Math.min(p.second, 59) }, p.ms);
  // Date.UTC rolls 31 Feb into March; such a date is not usable.
  if (!Number.isFinite(wall) || (new Date(wall).getUTCDate() !== p.day && p.hour !== 24)) return undefined;
  const ms = typeof p.zone === 'string' ? fromWallClock(wall, p.zone) : wall - (p.zone ?? 0) * 60_000;
  return Number.isFinite(ms) ? { ms, zoneless: p.zone === undefined } : undefined;
}
