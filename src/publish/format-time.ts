import { wallClock } from '../domain/calendar.js';

const two = (n: number): string => String(n).padStart(2, '0');

/** `YYYY-MM-DD` in the archive's time zone. */
export function formatDate(ms: number, timeZone: string): string {
  const t = wallClock(ms, timeZone);
  return `${String(t.year).padStart(4, '0')}-${two(t.month)}-${two(t.day)}`;
}

/** `YYYY-MM-DD HH:mm` in the archive's time zone. */
export function formatDateTime(ms: number, timeZone: string): string {
  const t = wallClock(ms, timeZone);
  return `${formatDate(ms, timeZone)} ${two(t.hour)}:${two(t.minute)}`;
}

/** The zone's offset at that instant as `+08:00` (RFC 3339's form). */
export function formatOffset(ms: number, timeZone: string): string {
  const t = wallClock(ms, timeZone);
  const minutes = Math.round((Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute) - Math.floor(ms / 60_000) * 60_000) / 60_000);
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${two(Math.floor(abs / 60))}:${two(abs % 60)}`;
}

/** RFC 3339 with the zone's offset: `2023-09-26T17:45:01+08:00` (seconds from the instant). */
export function formatRfc3339(ms: number, timeZone: string): string {
  const t = wallClock(ms, timeZone);
  const seconds = two(Math.floor((((ms / 1000) % 60) + 60) % 60));
  return `${formatDate(ms, timeZone)}T${two(t.hour)}:${two(t.minute)}:${seconds}${formatOffset(ms, timeZone)}`;
}
