import { describe, expect, it } from 'vitest';
import type { ScheduleHints } from '../../src/model.js';
import { isSkipped, nextFetchAfterError, nextFetchAfterSuccess, type PollPolicy } from '../../src/worker/schedule.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const policy: PollPolicy = { defaultMs: 30 * MIN, minMs: 5 * MIN, maxMs: 24 * HOUR, backoffMaxMs: 24 * HOUR };
const now = new Date('2025-05-06T10:00:00Z'); // a Tuesday
const noCache = { maxAgeSeconds: null, expiresAt: null };
const hints = (h: Partial<ScheduleHints>): ScheduleHints => ({
  ttlMinutes: null,
  updatePeriod: null,
  updateFrequency: null,
  skipHours: [],
  skipDays: [],
  ...h,
});
const after = (d: Date) => (d.getTime() - now.getTime()) / MIN;

describe('nextFetchAfterSuccess', () => {
  it.each([
    ['no signal: the default interval', noCache, null, 30],
    ['Cache-Control max-age', { maxAgeSeconds: 3600, expiresAt: null }, null, 60],
    ['Expires header', { maxAgeSeconds: null, expiresAt: new Date(now.getTime() + 2 * HOUR) }, null, 120],
    ['max-age wins over Expires', { maxAgeSeconds: 600, expiresAt: new Date(now.getTime() + 2 * HOUR) }, null, 10],
    ['RSS ttl', noCache, hints({ ttlMinutes: 90 }), 90],
    ['sy:updatePeriod hourly, frequency 2', noCache, hints({ updatePeriod: 'hourly', updateFrequency: 2 }), 30],
    ['sy:updatePeriod daily', noCache, hints({ updatePeriod: 'daily' }), 24 * 60],
    ['the longest signal wins', { maxAgeSeconds: 600, expiresAt: null }, hints({ ttlMinutes: 45 }), 45],
    ['clamped to the minimum', { maxAgeSeconds: 10, expiresAt: null }, null, 5],
    ['clamped to the maximum', noCache, hints({ updatePeriod: 'weekly' }), 24 * 60],
    ['an Expires in the past gives the minimum', { maxAgeSeconds: null, expiresAt: new Date(0) }, null, 5],
  ] as const)('%s', (_name, cache, h, minutes) => {
    expect(after(nextFetchAfterSuccess(now, cache, h, policy))).toBe(minutes);
  });

  it('moves out of skipHours to the next allowed hour', () => {
    const next = nextFetchAfterSuccess(now, noCache, hints({ skipHours: [10, 11, 12] }), policy);
    expect(next.toISOString()).toBe('2025-05-06T13:00:00.000Z');
  });

  it('moves out of skipDays to the next allowed day', () => {
    const next = nextFetchAfterSuccess(now, noCache, hints({ skipDays: ['Tuesday', 'wednesday'] }), policy);
    expect(next.toISOString()).toBe('2025-05-08T00:00:00.000Z');
  });

  it('gives up skipping after a week when every hour is skipped', () => {
    const all = Array.from({ length: 24 }, (_, i) => i);
    const next = nextFetchAfterSuccess(now, noCache, hints({ skipHours: all }), policy);
    expect(after(next)).toBeLessThanOrEqual(8 * 24 * 60);
    expect(isSkipped(next, hints({ skipHours: all }))).toBe(true);
  });
});

describe('nextFetchAfterError', () => {
  const fixed = () => 0.5; // no jitter: 0.75 + 0.5 * 0.5 = 1
  it('doubles from the minimum with each consecutive error, up to the cap', () => {
    const minutes = [1, 2, 3, 4, 10, 30].map((n) => after(nextFetchAfterError(now, n, null, policy, fixed)));
    expect(minutes).toEqual([5, 10, 20, 40, 24 * 60, 24 * 60]);
  });

  it('adds jitter within ±25%', () => {
    expect(after(nextFetchAfterError(now, 3, null, policy, () => 0))).toBe(15);
    expect(after(nextFetchAfterError(now, 3, null, policy, () => 0.999999))).toBeCloseTo(25, 3);
  });

  it('never exceeds the backoff cap because of jitter', () => {
    expect(after(nextFetchAfterError(now, 20, null, policy, () => 0.999))).toBe(24 * 60);
  });

  it('honours Retry-After when it asks for longer than the backoff', () => {
    expect(after(nextFetchAfterError(now, 1, 7200, policy, fixed))).toBe(120);
    expect(after(nextFetchAfterError(now, 1, 60, policy, fixed))).toBe(5);
  });

  it('bounds even a huge Retry-After to a week', () => {
    expect(after(nextFetchAfterError(now, 1, 10 ** 9, policy, fixed))).toBe(7 * 24 * 60);
  });
});
