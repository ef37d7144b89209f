// When to fetch a feed next: from its own signals after a success, exponential backoff after errors.
// Pure: time and randomness are passed in.
import type { CacheSignals, ScheduleHints } from '../model.js';

export interface PollPolicy {
  defaultMs: number;
  minMs: number;
  maxMs: number;
  backoffMaxMs: number;
}

const HOUR = 3_600_000;
const PERIOD_MS = {
  hourly: HOUR,
  daily: 24 * HOUR,
  weekly: 7 * 24 * HOUR,
  monthly: 30 * 24 * HOUR,
  yearly: 365 * 24 * HOUR,
};
const DAY_NAMES = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
// Retry-After and skip rules may exceed the normal maximum, but never by more than this.
const HARD_CAP_MS = 7 * 24 * HOUR;

const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));

/** Intervals the server and the document ask for, in milliseconds. */
export function requestedIntervals(now: Date, cache: CacheSignals, hints: ScheduleHints | null): number[] {
  const out: number[] = [];
  if (cache.maxAgeSeconds !== null) out.push(cache.maxAgeSeconds * 1000);
  else if (cache.expiresAt) out.push(cache.expiresAt.getTime() - now.getTime());
  if (hints?.ttlMinutes) out.push(hints.ttlMinutes * 60_000);
  if (hints?.updatePeriod) out.push(PERIOD_MS[hints.updatePeriod] / Math.max(1, hints.updateFrequency ?? 1));
  return out.filter((ms) => Number.isFinite(ms));
}

/** True when the feed asked not to be read at this (GMT) hour or day. */
export function isSkipped(at: Date, hints: ScheduleHints | null): boolean {
  if (!hints) return false;
  if (hints.skipHours.includes(at.getUTCHours())) return true;
  return hints.skipDays.some((d) => d.trim().toLowerCase() === DAY_NAMES[at.getUTCDay()]);
}

/** Next fetch after a success: the longest interval any signal asks for, within the policy's bounds, outside skipped hours and days. */
export function nextFetchAfterSuccess(
  now: Date,
  cache: CacheSignals,
  hints: ScheduleHints | null,
  policy: PollPolicy,
): Date {
  const asked = requestedIntervals(now, cache, hints);
  const interval = clamp(asked.length ? Math.max(...asked) : policy.defaultMs, policy.minMs, policy.maxMs);
  let next = new Date(now.getTime() + interval);
  // Step to the start of the next hour until neither skipHours nor skipDays applies.
  for (let i = 0; i < 24 * 7 && isSkipped(next, hints); i++) {
    next = new Date(Math.floor(next.getTime() / HOUR) * HOUR + HOUR);
  }
  return next;
}

/**
 * Next fetch after the errorCount-th consecutive error: min interval doubled per error, capped,
 * with ±25% jitter so failing feeds do not retry in lockstep; a server's Retry-After wins when longer.
 */
export function nextFetchAfterError(
  now: Date,
  errorCount: number,
  retryAfterSeconds: number | null,
  policy: PollPolicy,
  random: () => number,
): Date {
  const base = Math.min(policy.backoffMaxMs, policy.minMs * 2 ** Math.min(30, Math.max(0, errorCount - 1)));
  const jittered = Math.min(policy.backoffMaxMs, base * (0.75 + random() * 0.5));
  const honoured = retryAfterSeconds !== null ? Math.max(jittered, retryAfterSeconds * 1000) : jittered;
  return new Date(now.getTime() + clamp(honoured, policy.minMs, HARD_CAP_MS));
}
