import type { WallClock } from '../domain/calendar.js';

/**
 * Feed dates to epoch milliseconds. Feeds write RFC 822 (RSS 2.0: "All
 * date-times in RSS conform to the Date and Time Specification of RFC 822, with
 * the exception that the year may be expressed with two characters or four")
 * or RFC 3339 (Atom, JSON Feed, dc:date), and get both wrong in every way:
 * missing seconds, extra spaces, zone names, no zone at all. A date we cannot
 * read is undefined, never NaN.
 */
export function parseFeedDate(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  // A trailing comment such as "+0800 (CST)" is legal RFC 822 and says nothing more.
  const value = raw.replace(/\s*\([^)]*\)\s*$/, '').trim().replace(/\s+/g, ' ');
  if (value === '') return undefined;
  if (ISO_8601.test(value)) return parseIso8601(value);
  if (RFC_822.test(value)) return parseRfc822(value);
  // Only a shape neither grammar knows goes to the lenient parser: a date the
  // grammars recognised but found impossible (31 Feb) stays unusable.
  return parseLoose(value);
}

const ISO_8601 =
  /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)? ?(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$/i;

function parseIso8601(value: string): number | undefined {
  const m = ISO_8601.exec(value);
  if (m === null) return undefined;
  const fraction = m[7] === undefined ? 0 : Math.round(Number(`0.${m[7]}`) * 1000);
  return build({
    year: Number(m[1]),
    month: Number(m[2]),
    day: Number(m[3]),
    hour: Number(m[4] ?? 0),
    minute: Number(m[5] ?? 0),
    second: Number(m[6] ?? 0),
    ms: fraction,
    // A date without a zone is read as UTC, as feedparser does: there is no
    // better guess that works for every source.
    offsetMinutes: m[8] === undefined ? 0 : zoneOffset(m[8]),
  });
}

// [Day,] DD Mon YYYY [HH:MM[:SS]] [zone]; day names, commas and case vary.
const RFC_822 =
  /^(?:[a-z]+,? ?)?(\d{1,2})[ -]([a-z]+)\.?[ -](\d{2}|\d{4})(?:,? (\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?)?(?: ?([a-z]{1,5}(?:[+-]\d{1,4}(?::\d{2})?)?|[+-]\d{2}:?\d{2}))?$/i;

function parseRfc822(value: string): number | undefined {
  const m = RFC_822.exec(value);
  if (m === null) return undefined;
  const month = monthNumber(m[2] ?? '');
  const offsetMinutes = m[7] === undefined ? 0 : zoneOffset(m[7]);
  if (month === undefined || offsetMinutes === undefined) return undefined;
  return build({
    year: fullYear(m[3] ?? ''),
    month,
    day: Number(m[1]),
    hour: Number(m[4] ?? 0),
    minute: Number(m[5] ?? 0),
    second: Number(m[6] ?? 0),
    ms: 0,
    offsetMinutes,
  });
}

/**
 * Last resort for shapes neither grammar covers ("Sep 26, 2023 09:15", "2023/09/26
 * 09:15:01"): V8's Date parser, accepted only with a four-digit year so that it
 * cannot turn a stray number into a date.
 */
function parseLoose(value: string): number | undefined {
  if (!/\b\d{4}\b/.test(value)) return undefined;
  const normalized = /^\d{4}\/\d{1,2}\/\d{1,2}/.test(value) && !/(?:Z|[+-]\d{2}:?\d{2}|GMT|UTC)$/i.test(value)
    ? `${value} UTC`
    : value;
  const ms = Date.parse(normalized);
  return Number.isFinite(ms) ? ms : undefined;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

function monthNumber(name: string): number | undefined {
  const index = MONTHS.indexOf(name.slice(0, 3).toLowerCase());
  return index === -1 ? undefined : index + 1;
}

/** RFC 2822 §4.3: two-digit years below 50 are 20xx, the others 19xx. */
function fullYear(text: string): number {
  const year = Number(text);
  if (text.length === 4) return year;
  return year < 50 ? 2000 + year : 1900 + year;
}

/** RFC 822 §5.1 zone names, plus the ones feeds use anyway. */
const ZONES: Record<string, number> = {
  z: 0,
  ut: 0,
  utc: 0,
  gmt: 0,
  est: -5 * 60,
  edt: -4 * 60,
  cst: -6 * 60,
  cdt: -5 * 60,
  mst: -7 * 60,
  mdt: -6 * 60,
  pst: -8 * 60,
  pdt: -7 * 60,
  bst: 60,
  cet: 60,
  cest: 2 * 60,
  hkt: 8 * 60,
  jst: 9 * 60,
  kst: 9 * 60,
};

/** Minutes east of UTC for "+0800", "+08:00", "+08", "GMT+8", "EST"...; undefined when unknown. */
function zoneOffset(zone: string): number | undefined {
  const lower = zone.toLowerCase();
  const numeric = /^([a-z]*)([+-])(\d{1,2})(?::?(\d{2}))?$/.exec(lower);
  if (numeric !== null) {
    const base = numeric[1] === '' ? 0 : ZONES[numeric[1] ?? ''];
    if (base === undefined) return undefined;
    const minutes = Number(numeric[3]) * 60 + Number(numeric[4] ?? 0);
    return base + (numeric[2] === '-' ? -minutes : minutes);
  }
  if (lower in ZONES) return ZONES[lower];
  // RFC 822 military zones are notoriously inverted in the RFC itself; RFC 2822
  // §4.3 says to read any of them as +0000.
  if (/^[a-ik-z]$/.test(lower)) return 0;
  return undefined;
}

interface DateParts extends WallClock {
  ms: number;
  offsetMinutes: number | undefined;
}

function build(p: DateParts): number | undefined {
  if (p.offsetMinutes === undefined) return undefined;
  if (p.month < 1 || p.month > 12 || p.day < 1 || p.day > 31) return undefined;
  if (p.hour > 24 || p.minute > 59 || p.second > 60) return undefined;
  // A leap second (:60) is read as the last second of its minute.
  const utc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, Math.min(p.second, 59), p.ms);
  // Date.UTC rolls 31 Feb into March; such a date is not usable.
  if (new Date(utc).getUTCDate() !== p.day && p.hour !== 24) return undefined;
  const ms = utc - p.offsetMinutes * 60_000;
  return Number.isFinite(ms) ? ms : undefined;
}
