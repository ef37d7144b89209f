// Dates as feeds write them: RFC 822/1123 (with named and military zones), RFC 3339/ISO 8601, and the
// broken variants seen in the wild (two-digit years, missing or wrong or localised weekdays, lowercase or
// localised months, "2025-05-06 14:03:00", "22.11.2022 12:16", "Sat, Dec 16 2023 02:02:33 PM", Unix
// `date` output, epoch numbers). A date without a zone is taken as UTC. Pure: `now` is passed in.
import { MONTHS, ZONES, militaryZoneOffset } from './date-names.js';
import { collapseWhitespace, removeControlCharacters } from './text.js';

export interface ParsedDate {
  date: Date;
  /** True when the feed gave no usable date and `date` is `now`. */
  estimated: boolean;
}

const DAY_MS = 86_400_000;
const MIN_YEAR = 1970;

interface Parts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  ms: number;
  /** Minutes east of UTC. */
  offset: number;
}

const TIME = /(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?/;
const LEADING_TIME = new RegExp(`^${TIME.source}`);
const NUMERIC_DATE = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?![\d])/;
const DAY_FIRST_DATE = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?![\d])/;
const COMPACT_ISO = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

function expandYear(year: number, digits: number): number {
  if (digits === 2) return year < 50 ? 2000 + year : 1900 + year;
  return digits === 4 ? year : NaN;
}

/** Epoch milliseconds of validated parts, or null. */
function toTimestamp(p: Parts): number | null {
  const { year, month, day, hour, minute } = p;
  const second = Math.min(p.second, 59);
  if (!(year >= MIN_YEAR && year <= 9999) || month < 1 || month > 12 || day < 1 || day > 31) return null;
  if (hour > 24 || minute > 59 || second > 59 || (hour === 24 && (minute > 0 || second > 0))) return null;
  const midnight = Date.UTC(year, month - 1, day);
  if (new Date(midnight).getUTCDate() !== day) return null;
  const ms = midnight + ((hour * 60 + minute - p.offset) * 60 + second) * 1000 + p.ms;
  return ms > 0 ? ms : null;
}

/** A time of day found in a date string, with where it sits. */
interface TimeMatch {
  hour: number;
  minute: number;
  second: number;
  fraction: string;
  start: number;
  end: number;
}

function matchTime(m: RegExpExecArray | null): TimeMatch | null {
  if (m === null) return null;
  return {
    hour: Number(m[1]),
    minute: Number(m[2]),
    second: Number(m[3] ?? 0),
    fraction: m[4] ?? '',
    start: m.index,
    end: m.index + m[0].length,
  };
}

/** h:mm[:ss[.fff]] anywhere, else four digits before a final zone, as in "03 Apr 02 1500 GMT". */
function findTime(s: string): TimeMatch | null {
  const colon = matchTime(TIME.exec(s));
  if (colon) return colon;
  const m = /\s([01]\d|2[0-3])([0-5]\d)(?=\s+\S+\s*$)/.exec(s);
  return m
    ? { hour: Number(m[1]), minute: Number(m[2]), second: 0, fraction: '', start: m.index, end: m.index + m[0].length }
    : null;
}

function timeParts(t: TimeMatch | null): Pick<Parts, 'hour' | 'minute' | 'second' | 'ms'> {
  if (t === null) return { hour: 0, minute: 0, second: 0, ms: 0 };
  const ms = t.fraction ? Math.min(Math.round(Number(`0.${t.fraction}`) * 1000), 999) : 0;
  return { hour: t.hour, minute: t.minute, second: t.second, ms };
}

/** What follows the time: AM/PM, a zone (offset, GMT+2, name, military letter), a year (Unix `date`). */
function readTail(text: string): { meridiem: 'am' | 'pm' | null; offset: number; year: number | null } {
  let rest = text.trim();
  let meridiem: 'am' | 'pm' | null = null;
  const ampm = /^([ap])\.?m\.?(?=\s|$)/i.exec(rest);
  if (ampm) {
    meridiem = ampm[1]!.toLowerCase() === 'a' ? 'am' : 'pm';
    rest = rest.slice(ampm[0].length).trim();
  }
  let offset = 0;
  const numeric = /^(?:GMT|UTC|UT)?\s*([+-])(\d{1,2})(?::?(\d{2}))?(?!\d)/i.exec(rest);
  const named = numeric ? null : /^([A-Za-z]{1,5})(?![A-Za-z])/.exec(rest);
  if (numeric) {
    offset = (numeric[1] === '-' ? -1 : 1) * (Number(numeric[2]) * 60 + Number(numeric[3] ?? 0));
    rest = rest.slice(numeric[0].length);
  } else if (named) {
    const name = named[1]!.toUpperCase();
    offset = ZONES.get(name) ?? militaryZoneOffset(name) ?? 0;
    rest = rest.slice(named[0].length);
  }
  const year = /^\s*(?:\([^)]*\))?\s*(\d{4})\b/.exec(rest);
  return { meridiem, offset: Math.abs(offset) <= 18 * 60 ? offset : 0, year: year ? Number(year[1]) : null };
}

function applyMeridiem(hour: number, meridiem: 'am' | 'pm' | null): number {
  if (meridiem === null) return hour;
  if (hour < 1 || hour > 12) return NaN;
  return meridiem === 'am' ? hour % 12 : (hour % 12) + 12;
}

/** "2025-05-06T14:03:00Z", "2020/1/10 14:33", "22.11.2022 12:16:00", "20250506T140300Z". */
function parseNumericDate(s: string): number | null {
  const compact = COMPACT_ISO.exec(s);
  if (compact) {
    const [, y, mo, d, h, mi, sec, zone] = compact;
    const offset = zone ? readTail(zone).offset : 0;
    return toTimestamp({
      year: Number(y),
      month: Number(mo),
      day: Number(d),
      hour: Number(h ?? 0),
      minute: Number(mi ?? 0),
      second: Number(sec ?? 0),
      ms: 0,
      offset,
    });
  }
  const ymd = NUMERIC_DATE.exec(s);
  const dmy = ymd ? null : DAY_FIRST_DATE.exec(s);
  const m = ymd ?? dmy;
  if (!m) return null;
  let [year, month, day] = ymd
    ? [Number(m[1]), Number(m[2]), Number(m[3])]
    : [Number(m[3]), Number(m[2]), Number(m[1])];
  // 1/2/2024 with slashes is US order unless the first number cannot be a month.
  if (dmy && s[m[1]!.length] === '/' && day <= 12) [month, day] = [day, month];
  const rest = s.slice(m[0].length).replace(/^\s*T?\s*/i, '');
  const time = matchTime(LEADING_TIME.exec(rest));
  const tail = readTail(time ? rest.slice(time.end) : rest);
  const t = timeParts(time);
  return toTimestamp({ year, month, day, ...t, hour: applyMeridiem(t.hour, tail.meridiem), offset: tail.offset });
}

/** Day, month name and year among the words and numbers before the time. */
function dateFromWords(words: string[], tailYear: number | null): Pick<Parts, 'year' | 'month' | 'day'> | null {
  let monthAt = -1;
  words.forEach((w, i) => {
    if (MONTHS.has(w.toLowerCase())) monthAt = i;
  });
  if (monthAt === -1) return null;
  const month = MONTHS.get(words[monthAt]!.toLowerCase())!;
  const numbers = words.map((w, i) => ({ w, i })).filter(({ w }) => /^\d+$/.test(w));
  const yearToken = numbers.find(({ w }) => w.length === 4);
  let year = yearToken ? Number(yearToken.w) : tailYear;
  let rest = numbers.filter((n) => n !== yearToken);
  if (year === null) {
    // Two-digit year: "16 Nov 22" (day before the month) or "Nov 16 22" (month first).
    const after = rest.filter((n) => n.i > monthAt);
    const yy = rest.some((n) => n.i < monthAt) ? after[0] : after[1];
    if (!yy || yy.w.length !== 2) return null;
    year = expandYear(Number(yy.w), 2);
    rest = rest.filter((n) => n !== yy);
  }
  const dayToken = rest.find((n) => n.i < monthAt && n.i >= monthAt - 2) ?? rest.find((n) => n.i > monthAt) ?? rest[0];
  if (!dayToken || dayToken.w.length > 2) return null;
  return { year, month, day: Number(dayToken.w) };
}

/** "Tue, 06 May 2025 14:03:00 +0200" and its many relatives. */
function parseTextDate(s: string): number | null {
  const found = findTime(s);
  const before = found ? s.slice(0, found.start) : s;
  const tail = readTail(found ? s.slice(found.end) : '');
  const words = before.match(/[\p{L}]+|\d+/gu) ?? [];
  const date = dateFromWords(words, tail.year);
  if (date === null) return null;
  const t = timeParts(found);
  return toTimestamp({ ...date, ...t, hour: applyMeridiem(t.hour, tail.meridiem), offset: tail.offset });
}

/** The form most feeds write (RFC 1123), read with one expression; anything else takes the general path. */
const RFC_1123 =
  /^(?:[A-Z][a-z]{2}, )?(\d{1,2}) ([A-Z][a-z]{2}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) (?:GMT|UTC?|Z|([+-])(\d{2})(\d{2}))$/;

function parseRfc1123(s: string): number | null | undefined {
  const m = RFC_1123.exec(s);
  const month = m ? MONTHS.get(m[2]!.toLowerCase()) : undefined;
  if (!m || month === undefined) return undefined;
  const offset = m[7] ? (m[7] === '-' ? -1 : 1) * (Number(m[8]) * 60 + Number(m[9])) : 0;
  if (Math.abs(offset) > 18 * 60) return undefined;
  return toTimestamp({
    year: Number(m[3]),
    month,
    day: Number(m[1]),
    hour: Number(m[4]),
    minute: Number(m[5]),
    second: Number(m[6]),
    ms: 0,
    offset,
  });
}

/** Seconds (9–10 digits, optional fraction) or milliseconds (12–13 digits) since 1970. */
function parseEpoch(s: string): number | null {
  if (/^\d{9,10}(?:\.\d+)?$/.test(s)) return Math.round(Number(s) * 1000);
  if (/^\d{12,13}$/.test(s)) return Number(s);
  return null;
}

/** Epoch milliseconds of a feed date string, or null when it cannot be read. */
export function parseTimestamp(raw: string): number | null {
  const s = collapseWhitespace(removeControlCharacters(raw));
  if (s === '' || s.length > 120) return null;
  const common = parseRfc1123(s);
  if (common !== undefined) return common;
  return parseTimestampInGeneral(s);
}

/** The general path of parseTimestamp (every format it reads), for a trimmed, collapsed string. */
export function parseTimestampInGeneral(s: string): number | null {
  return parseEpoch(s) ?? parseNumericDate(s) ?? parseTextDate(s);
}

/**
 * A feed date. Unreadable, missing, before 1970 or more than a day ahead of `now` (a publisher's clock
 * or typo) → `now`, marked estimated. Never throws; one bad date never rejects a feed.
 */
export function parseDate(raw: string | null, now: Date): ParsedDate {
  const ms = raw === null ? null : parseTimestamp(raw);
  if (ms === null || Number.isNaN(ms) || ms > now.getTime() + DAY_MS)
    return { date: new Date(now.getTime()), estimated: true };
  return { date: new Date(ms), estimated: false };
}
