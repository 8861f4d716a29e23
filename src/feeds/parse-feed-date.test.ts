import { describe, expect, it } from 'vitest';
import { parseFeedDate, readFeedDate } from './parse-feed-date.js';

const utc = (iso: string): number => Date.parse(iso);

describe('parseFeedDate', () => {
  it.each([
    // RFC 822 as RSS 2.0 writes it, and as feeds really write it.
    ['Tue, 26 Sep 2023 09:15:01 GMT', '2023-09-26T09:15:01Z'],
    ['Tue, 26 Sep 2023 09:15:01 +0000', '2023-09-26T09:15:01Z'],
    ['Tue, 26 Sep 2023 17:15:01 +0800', '2023-09-26T09:15:01Z'],
    ['Tue, 26 Sep 2023 17:15:01 +08:00', '2023-09-26T09:15:01Z'],
    ['Tue, 26 Sep 2023 09:15:01 UT', '2023-09-26T09:15:01Z'],
    ['Tue, 26 Sep 2023 05:15:01 EDT', '2023-09-26T09:15:01Z'],
    ['Tue, 26 Sep 2023 04:15:01 EST', '2023-09-26T09:15:01Z'],
    ['Tue, 26 Sep 2023 02:15:01 PDT', '2023-09-26T09:15:01Z'],
    ['Tue, 26 Sep 2023 17:15:01 GMT+8', '2023-09-26T09:15:01Z'],
    ['Tue, 26 Sep 2023 09:15 GMT', '2023-09-26T09:15:00Z'],
    ['  Tue,  26 Sep  2023   09:15:01   GMT ', '2023-09-26T09:15:01Z'],
    ['Tue,26 Sep 2023 09:15:01 GMT', '2023-09-26T09:15:01Z'],
    ['26 Sep 2023 09:15:01 GMT', '2023-09-26T09:15:01Z'],
    ['Tuesday, 26 September 2023 09:15:01 GMT', '2023-09-26T09:15:01Z'],
    ['Tue, 26 Sep 23 09:15:01 GMT', '2023-09-26T09:15:01Z'],
    ['Thu, 05 Sep 02 00:00:01 GMT', '2002-09-05T00:00:01Z'],
    ['Sun, 19 May 99 15:21:36 GMT', '1999-05-19T15:21:36Z'],
    ['Tue, 26 Sep 2023 09:15:01', '2023-09-26T09:15:01Z'],
    ['Tue, 26 Sep 2023', '2023-09-26T00:00:00Z'],
    ['Tue, 26 Sep 2023 17:15:01 +0800 (CST)', '2023-09-26T09:15:01Z'],
    ['tue, 26 sep 2023 09:15:01 gmt', '2023-09-26T09:15:01Z'],
    ['Tue, 26 Sep 2023 09:15:01 Z', '2023-09-26T09:15:01Z'],
    // ISO 8601 / RFC 3339 (Atom, JSON Feed, dc:date).
    ['2023-09-26T09:15:01Z', '2023-09-26T09:15:01Z'],
    ['2023-09-26T17:15:01+08:00', '2023-09-26T09:15:01Z'],
    ['2023-09-26T17:15:01+0800', '2023-09-26T09:15:01Z'],
    ['2023-09-26T09:15:01.520Z', '2023-09-26T09:15:01.520Z'],
    ['2016-06-01T08:35:00.001-07:00', '2016-06-01T15:35:00.001Z'],
    ['2023-09-26 17:15:01 +08:00', '2023-09-26T09:15:01Z'],
    ['2023-09-26 09:15:01', '2023-09-26T09:15:01Z'],
    ['2023-09-26T09:15Z', '2023-09-26T09:15:00Z'],
    ['2023-09-26', '2023-09-26T00:00:00Z'],
    // Shapes only the fallback knows.
    ['2023/09/26 09:15:01', '2023-09-26T09:15:01Z'],
    ['Sep 26, 2023 09:15:01 GMT', '2023-09-26T09:15:01Z'],
    ['Tue Sep 26 2023 17:15:01 GMT+0800 (China Standard Time)', '2023-09-26T09:15:01Z'],
    ['September 26, 2023 9:15 PM', '2023-09-26T21:15:00Z'],
    ['Tue Sep 26 09:15:01 2023', '2023-09-26T09:15:01Z'],
    ['Tuesday, September 26, 2023 - 09:15', '2023-09-26T09:15:00Z'],
    ['Sep 26th, 2023 @ 9:15 am', '2023-09-26T09:15:00Z'],
    // Zone names real feeds write: North American zones without S/D take the season's offset.
    ['Tue, 26 Sep 2023 05:15:01 ET', '2023-09-26T09:15:01Z'],
    ['Tue, 26 Dec 2023 04:15:01 ET', '2023-12-26T09:15:01Z'],
    ['Tue, 26 Sep 2023 04:15:01 CT', '2023-09-26T09:15:01Z'],
    ['Tue, 26 Sep 2023 03:15:01 MT', '2023-09-26T09:15:01Z'],
    ['Tue, 26 Sep 2023 02:15:01 PT', '2023-09-26T09:15:01Z'],
    ['Tue, 26 Dec 2023 01:15:01 PT', '2023-12-26T09:15:01Z'],
    ['Tue, 26 Sep 2023 06:15:01 AT', '2023-09-26T09:15:01Z'],
    ['Tue, 26 Sep 2023 05:15:01 AST', '2023-09-26T09:15:01Z'],
    ['Tue, 26 Sep 2023 06:15:01 ADT', '2023-09-26T09:15:01Z'],
    ['Tue, 26 Sep 2023 03:15:01 CST', '2023-09-26T09:15:01Z'],
    ['Tue, 26 Sep 2023 04:15:01 CDT', '2023-09-26T09:15:01Z'],
    ['Tue, 26 Sep 2023 03:15:01 MDT', '2023-09-26T09:15:01Z'],
    ['Tue, 26 Sep 2023 01:15:01 PST', '2023-09-26T09:15:01Z'],
    ['Tue, 26 Sep 2023 10:15:01 MET', '2023-09-26T09:15:01Z'],
    ['Tue, 26 Sep 2023 11:15:01 MEST', '2023-09-26T09:15:01Z'],
    ['Tue, 26 Sep 2023 09:15:01 Etc/GMT', '2023-09-26T09:15:01Z'],
    ['Tue, 26 Sep 2023 04:15:01 Etc/GMT+5', '2023-09-26T09:15:01Z'],
    ['Tue, 26 Sep 2023 17:15:01 Asia/Shanghai', '2023-09-26T09:15:01Z'],
    ['2023-09-26T17:15:01 Asia/Shanghai', '2023-09-26T09:15:01Z'],
    // ISO 8601 reduced precision and the basic format.
    ['2023-09-26T09Z', '2023-09-26T09:00:00Z'],
    ['2023-09', '2023-09-01T00:00:00Z'],
    ['2023', '2023-01-01T00:00:00Z'],
    ['20230926', '2023-09-26T00:00:00Z'],
    ['20230926T091501Z', '2023-09-26T09:15:01Z'],
    ['20230926T1715+0800', '2023-09-26T09:15:00Z'],
    ['2023-09-26T09:15:01+00', '2023-09-26T09:15:01Z'],
    // A two-digit year is 19xx/20xx; a four-digit one below 100 is that year, not 19xx.
    ['0099-01-01T00:00:00Z', '0099-01-01T00:00:00Z'],
  ])('%s', (raw, iso) => {
    expect(parseFeedDate(raw)).toBe(utc(iso));
  });

  it.each([
    [undefined],
    [''],
    ['   '],
    ['not a date'],
    ['yesterday'],
    ['12345'],
    ['Tue, 31 Feb 2023 09:15:01 GMT'],
    ['2023-13-01T00:00:00Z'],
    ['2023-02-30'],
    ['Tue, 26 Foo 2023 09:15:01 GMT'],
    ['Tue, 26 Sep 2023 09:15:01 XYZ'],
    ['Tue, 26 Sep 2023 25:15:01 GMT'],
    // Malformed: no guess (V8's Date.parse reads each of these as some date).
    ['Tue, 26 Sep 2023 1:2:3:4 GMT'],
    ['26 Sep 2023 1:2:3:4'],
    ['Dec x 2012'],
    ['2023-01-01T00:00:00-99:99'],
    ['Tue, 26 Sep 2023 09:15:01 -9999'],
    ['2023-01-01T00:00:00+24:00'],
    ['Tue, 26 Sep 2023 09:15:01 +0860'],
    ['2023/09/26 09:15:01 junk'],
    ['Sep 26 2023 2024'],
    ['Tue, 26 Sep 2023 09:15:01 Mars/Olympus'],
    ['2023-09-26T24:30:00Z'],
    // Before year 1: no list may name such a month.
    ['0000-06-01T00:00:00Z'],
    ['Tue, 26 Sep 0000 09:15:01 GMT'],
  ])('%s is not a usable date', (raw) => {
    expect(parseFeedDate(raw)).toBeUndefined();
  });

  it('reads a date without a zone in the default zone given (a source\'s timezone), and one with a zone as written', () => {
    expect(parseFeedDate('2023-09-26 17:15:01', 'Asia/Shanghai')).toBe(utc('2023-09-26T09:15:01Z'));
    expect(parseFeedDate('Tue, 26 Sep 2023 17:15:01', 'Asia/Shanghai')).toBe(utc('2023-09-26T09:15:01Z'));
    expect(parseFeedDate('2023/09/26 17:15', 'Asia/Shanghai')).toBe(utc('2023-09-26T09:15:00Z'));
    // Daylight saving time is the zone's at that date.
    expect(parseFeedDate('2023-07-01 12:00', 'Europe/Berlin')).toBe(utc('2023-07-01T10:00:00Z'));
    expect(parseFeedDate('2023-01-01 12:00', 'Europe/Berlin')).toBe(utc('2023-01-01T11:00:00Z'));
    expect(parseFeedDate('2023-09-26T17:15:01Z', 'Asia/Shanghai')).toBe(utc('2023-09-26T17:15:01Z'));
    expect(parseFeedDate('Tue, 26 Sep 2023 17:15:01 +0000', 'Asia/Shanghai')).toBe(utc('2023-09-26T17:15:01Z'));
  });

  it('says whether the feed gave a zone (readFeedDate)', () => {
    expect(readFeedDate('2023-09-26 17:15:01')).toEqual({ ms: utc('2023-09-26T17:15:01Z'), zoneless: true });
    expect(readFeedDate('Tue, 26 Sep 2023 17:15:01 GMT')).toEqual({ ms: utc('2023-09-26T17:15:01Z'), zoneless: false });
    expect(readFeedDate('Dec x 2012')).toBeUndefined();
  });

  it('never returns NaN', () => {
    for (const raw of ['0000-00-00', '9999-99-99T99:99:99Z', 'Mon, 99 Dec 2023 00:00:00 GMT', '2023-01-01T00:00:00+99:99']) {
      const value = parseFeedDate(raw);
      expect(value === undefined || Number.isFinite(value)).toBe(true);
    }
  });
});
