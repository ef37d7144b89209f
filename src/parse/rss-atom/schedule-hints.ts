// A feed's own polling signals: RSS <ttl>, <skipHours>, <skipDays> (RSS 2.0 spec) and the
// Syndication module's sy:updatePeriod / sy:updateFrequency. Out-of-range values are ignored.
import type { ScheduleHints } from '../../model.js';
import { childrenOf, firstText, trimmedTextOf, type RawFields } from './node.js';

const MINUTES_PER_YEAR = 525_600;
const PERIODS = new Set<ScheduleHints['updatePeriod']>(['hourly', 'daily', 'weekly', 'monthly', 'yearly']);
const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

function positiveInteger(text: string | null, max: number): number | null {
  if (text === null || !/^\s*\d+\s*$/.test(text)) return null;
  const n = Number(text);
  return n >= 1 && n <= max ? n : null;
}

function readSkipHours(nodes: readonly unknown[] | undefined): number[] {
  const hours = new Set<number>();
  for (const hour of childrenOf(nodes?.[0], 'hour').slice(0, 48)) {
    const text = trimmedTextOf(hour);
    if (text === null || !/^\d{1,2}$/.test(text)) continue;
    const n = Number(text);
    // Some feeds write 24 for midnight; the spec's range is 0–23.
    if (n <= 24) hours.add(n % 24);
  }
  return [...hours].sort((a, b) => a - b);
}

function readSkipDays(nodes: readonly unknown[] | undefined): string[] {
  const days = new Set<string>();
  for (const day of childrenOf(nodes?.[0], 'day').slice(0, 14)) {
    const text = trimmedTextOf(day)?.toLowerCase();
    const match = text && text.length >= 3 ? DAYS.find((d) => d.toLowerCase().startsWith(text)) : undefined;
    if (match) days.add(match);
  }
  return DAYS.filter((d) => days.has(d));
}

/** The schedule hints in a channel's (or Atom feed's) raw fields. */
export function readScheduleHints(feed: RawFields): ScheduleHints {
  const period = firstText(feed['sy:updatePeriod'])?.trim().toLowerCase() ?? null;
  return {
    ttlMinutes: positiveInteger(firstText(feed['ttl']), MINUTES_PER_YEAR),
    updatePeriod: PERIODS.has(period as ScheduleHints['updatePeriod'])
      ? (period as ScheduleHints['updatePeriod'])
      : null,
    updateFrequency: positiveInteger(firstText(feed['sy:updateFrequency']), 10_000),
    skipHours: readSkipHours(feed['skipHours']),
    skipDays: readSkipDays(feed['skipDays']),
  };
}
