import { describe, expect, it } from 'vitest';
import { parseDate } from '../../src/normalize/date.js';

const NOW = new Date('2025-06-01T12:00:00Z');

describe('parseDate', () => {
  const readable: Array<[name: string, raw: string, iso: string]> = [
    ['RFC 822 with numeric zone', 'Tue, 06 May 2025 14:03:00 +0200', '2025-05-06T12:03:00.000Z'],
    ['RFC 822 GMT', 'Tue, 06 May 2025 14:03:00 GMT', '2025-05-06T14:03:00.000Z'],
    ['RFC 822 UT', 'Tue, 06 May 2025 14:03:00 UT', '2025-05-06T14:03:00.000Z'],
    ['RFC 822 Z', 'Tue, 06 May 2025 14:03:00 Z', '2025-05-06T14:03:00.000Z'],
    ['RFC 822 EST', 'Tue, 06 May 2025 14:03:00 EST', '2025-05-06T19:03:00.000Z'],
    ['RFC 822 PDT', 'Tue, 06 May 2025 14:03:00 PDT', '2025-05-06T21:03:00.000Z'],
    ['RFC 822 military zone A (+1)', 'Tue, 06 May 2025 14:03:00 A', '2025-05-06T13:03:00.000Z'],
    ['RFC 822 military zone N (-1)', 'Tue, 06 May 2025 14:03:00 N', '2025-05-06T15:03:00.000Z'],
    ['RFC 822 without seconds', 'Tue, 06 May 2025 14:03 +0000', '2025-05-06T14:03:00.000Z'],
    ['+00:00 in RFC 822', 'Tue, 06 May 2025 14:03:00 +00:00', '2025-05-06T14:03:00.000Z'],
    ['zone name CEST', 'Tue, 06 May 2025 14:03:00 CEST', '2025-05-06T12:03:00.000Z'],
    ['zone name BST', 'Fri, 17 May 2019 23:21:44 BST', '2019-05-17T22:21:44.000Z'],
    ['zone name UTC', 'Fri, 08 Jul 2016 13:40:00 UTC', '2016-07-08T13:40:00.000Z'],
    ['GMT+2 style zone', 'Tue, 06 May 2025 14:03:00 GMT+2', '2025-05-06T12:03:00.000Z'],
    ['two-digit year (RFC 822)', 'Tue, 06 May 25 14:03:00 GMT', '2025-05-06T14:03:00.000Z'],
    ['two-digit year in the 1900s', 'Thu, 06 May 99 14:03:00 GMT', '1999-05-06T14:03:00.000Z'],
    ['missing weekday', '06 May 2025 14:03:00 GMT', '2025-05-06T14:03:00.000Z'],
    ['wrong weekday is ignored', 'Sun, 06 May 2025 14:03:00 GMT', '2025-05-06T14:03:00.000Z'],
    ['"Tues"', 'Tues, 06 May 2025 14:03:00 GMT', '2025-05-06T14:03:00.000Z'],
    ['weekday without comma', 'Tue 11 Jan 2011 01:30:00 GMT', '2011-01-11T01:30:00.000Z'],
    ['single-digit day and hour', 'Tue, 6 May 2025 9:05:00 GMT', '2025-05-06T09:05:00.000Z'],
    ['lowercase month', 'tue, 06 may 2025 14:03:00 gmt', '2025-05-06T14:03:00.000Z'],
    ['full month name', 'Tuesday, 06 May 2025 14:03:00 GMT', '2025-05-06T14:03:00.000Z'],
    ['extra spaces', 'Tue,  06   May  2025   14:03:00   GMT', '2025-05-06T14:03:00.000Z'],
    ['German weekday and month', 'Do, 22 Dez 2016 17:36:00 +0000', '2016-12-22T17:36:00.000Z'],
    ['Italian weekday and month', 'mer, 16 nov 2022 00:38:15 +0100', '2022-11-15T23:38:15.000Z'],
    ['Portuguese weekday and month', 'Seg, 24 Set 2018 19:42:40 -0300', '2018-09-24T22:42:40.000Z'],
    ['month name in the weekday slot', 'January, 29 Jan 2021 17:56:15 +0530', '2021-01-29T12:26:15.000Z'],
    ['month first with AM/PM', 'Sat, Dec 16 2023 02:02:33 PM', '2023-12-16T14:02:33.000Z'],
    ['12 AM is midnight', 'Dec 16 2023 12:10:00 AM', '2023-12-16T00:10:00.000Z'],
    ['time as four digits (heraldsun)', '03 Apr 02 1500 GMT', '2002-04-03T15:00:00.000Z'],
    ['Unix date output', 'Thu Jan 11 15:50:00 EST 2018', '2018-01-11T20:50:00.000Z'],
    [
      'JavaScript Date#toString',
      'Wed Jan 17 2018 15:50:00 GMT+0100 (Central European Standard Time)',
      '2018-01-17T14:50:00.000Z',
    ],
    ['date only, month name first', 'November 5, 2024', '2024-11-05T00:00:00.000Z'],
    ['RFC 3339 with Z', '2025-05-06T14:03:00Z', '2025-05-06T14:03:00.000Z'],
    ['RFC 3339 with offset', '2025-05-06T14:03:00-07:00', '2025-05-06T21:03:00.000Z'],
    ['RFC 3339 with fractional seconds', '2025-05-06T14:03:00.123456+02:00', '2025-05-06T12:03:00.123Z'],
    ['ISO without seconds', '2025-05-06T14:03Z', '2025-05-06T14:03:00.000Z'],
    ['ISO without zone is UTC', '2025-05-06T14:03:00', '2025-05-06T14:03:00.000Z'],
    ['ISO with a space', '2025-05-06 14:03:00', '2025-05-06T14:03:00.000Z'],
    ['ISO with a space and an offset', '2006-01-11 16:43:22 -0800', '2006-01-12T00:43:22.000Z'],
    ['ISO offset without colon', '2025-05-06T14:03:00+0530', '2025-05-06T08:33:00.000Z'],
    ['ISO date only', '2025-05-06', '2025-05-06T00:00:00.000Z'],
    ['ISO basic format', '20250506T140300Z', '2025-05-06T14:03:00.000Z'],
    ['slashes, single digits', '2020/1/10 14:33:00', '2020-01-10T14:33:00.000Z'],
    ['day.month.year', '22.11.2022 12:16:00', '2022-11-22T12:16:00.000Z'],
    ['leap second is clamped', '2016-12-31T23:59:60Z', '2016-12-31T23:59:59.000Z'],
    ['epoch seconds', '1746540180', '2025-05-06T14:03:00.000Z'],
    ['epoch milliseconds', '1746540180000', '2025-05-06T14:03:00.000Z'],
    ['surrounding whitespace and newlines', '\n   2025-05-06T14:03:00Z \n', '2025-05-06T14:03:00.000Z'],
    ['less than a day in the future is kept', '2025-06-02T11:00:00Z', '2025-06-02T11:00:00.000Z'],
  ];
  it.each(readable)('%s', (_name, raw, iso) => {
    const result = parseDate(raw, NOW);
    expect(result.estimated).toBe(false);
    expect(result.date.toISOString()).toBe(iso);
  });

  const unreadable: Array<[name: string, raw: string | null]> = [
    ['null', null],
    ['empty', ''],
    ['words', 'last Tuesday'],
    ['year 0', '0000-01-01T00:00:00Z'],
    ['before 1970', 'Mon, 01 Jan 1900 00:00:00 GMT'],
    ['the epoch itself (a placeholder)', 'Thu, 01 Jan 1970 00:00:00 GMT'],
    ['February 30th', '2025-02-30'],
    ['month 13', '2025-13-01'],
    ['hour 25', '2025-05-06T25:00:00Z'],
    ['no year', 'Tue, 06 May 14:03:00 GMT'],
    ['NUL bytes only', '\u0000\u0000'],
    ['absurdly long', `2025-05-06 ${'x'.repeat(500)}`],
  ];
  it.each(unreadable)('unreadable: %s → now, estimated', (_name, raw) => {
    const result = parseDate(raw, NOW);
    expect(result).toEqual({ date: NOW, estimated: true });
    expect(result.date).not.toBe(NOW);
  });

  it('clamps a date more than a day in the future to now, estimated', () => {
    expect(parseDate('2099-01-01T00:00:00Z', NOW)).toEqual({ date: NOW, estimated: true });
    expect(parseDate('2025-06-02T12:00:01Z', NOW)).toEqual({ date: NOW, estimated: true });
  });
});
