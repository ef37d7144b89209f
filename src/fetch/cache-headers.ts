// The server's caching and back-off signals (RFC 9111 Cache-Control/Expires/Age, RFC 9110 Retry-After).
import type { CacheSignals } from '../model.js';

export type HeaderValue = string | string[] | undefined;

/** One header's value; repeated headers are joined as HTTP allows for list-valued fields. */
export function headerValue(value: HeaderValue): string | null {
  if (value === undefined) return null;
  return Array.isArray(value) ? value.join(', ') : value;
}

/** The first value of a header that must not repeat (Content-Type, Location, ETag). */
export function singleHeader(value: HeaderValue): string | null {
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? null : first.trim();
}

/**
 * Freshness from Cache-Control: max-age (or s-maxage when max-age is absent), minus the response's
 * Age. no-store/no-cache say "ask every time", which for a poller means no lower bound: null.
 */
export function parseCacheSignals(headers: Record<string, HeaderValue>): CacheSignals {
  return {
    maxAgeSeconds: maxAgeOf(headerValue(headers['cache-control']), headerValue(headers['age'])),
    expiresAt: parseHttpDate(singleHeader(headers['expires'])),
  };
}

function maxAgeOf(cacheControl: string | null, age: string | null): number | null {
  if (cacheControl === null) return null;
  const directives = parseDirectives(cacheControl);
  if (directives.has('no-store') || directives.has('no-cache')) return null;
  const seconds = deltaSeconds(directives.get('max-age') ?? directives.get('s-maxage') ?? null);
  if (seconds === null) return null;
  return Math.max(0, seconds - (deltaSeconds(age) ?? 0));
}

function parseDirectives(value: string): Map<string, string | null> {
  const directives = new Map<string, string | null>();
  for (const part of value.split(',')) {
    const [name, arg] = part.split('=', 2);
    const key = name?.trim().toLowerCase();
    if (key) directives.set(key, arg === undefined ? null : arg.trim().replace(/^"(.*)"$/, '$1'));
  }
  return directives;
}

function deltaSeconds(value: string | null): number | null {
  if (value === null || !/^\s*\d+\s*$/.test(value)) return null;
  return Number(value);
}

/** An HTTP-date (IMF-fixdate, RFC 850 or asctime, all of which Date.parse reads), or null. */
export function parseHttpDate(value: string | null): Date | null {
  if (value === null || /^\s*-?\d+\s*$/.test(value)) return null; // "Expires: 0" means already stale, not a date
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : new Date(ms);
}

/** Retry-After as seconds from `now`: delta-seconds or an HTTP-date (a past date gives 0). */
export function parseRetryAfter(value: string | null, now: Date): number | null {
  if (value === null) return null;
  const seconds = deltaSeconds(value);
  if (seconds !== null) return seconds;
  const date = parseHttpDate(value);
  return date === null ? null : Math.max(0, Math.ceil((date.getTime() - now.getTime()) / 1000));
}
