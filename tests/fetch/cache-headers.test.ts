// Caching signals: Cache-Control max-age/s-maxage, Age, no-store/no-cache, Expires; Retry-After forms.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCacheSignals, parseRetryAfter } from '../../src/fetch/cache-headers.js';
import { fetchFeed } from '../../src/fetch/http.js';
import { get, startHttpServer, testOptions, type TrackedServer } from './servers.js';

describe('parseCacheSignals', () => {
  it.each([
    ['max-age=600', undefined, 600],
    ['public, max-age=600, s-maxage=60', undefined, 600],
    ['s-maxage=300', undefined, 300],
    ['max-age="90"', undefined, 90],
    ['max-age=600', '100', 500],
    ['max-age=60', '100', 0],
    ['no-store, max-age=600', undefined, null],
    ['no-cache', undefined, null],
    ['max-age=soon', undefined, null],
    ['private', undefined, null],
  ])('Cache-Control %j with Age %j → %j', (cacheControl, age, expected) => {
    expect(parseCacheSignals({ 'cache-control': cacheControl, age }).maxAgeSeconds).toBe(expected);
  });

  it('reads Expires as a date and ignores "0" and garbage', () => {
    expect(parseCacheSignals({ expires: 'Wed, 21 Oct 2015 07:28:00 GMT' }).expiresAt).toEqual(
      new Date('2015-10-21T07:28:00Z'),
    );
    expect(parseCacheSignals({ expires: '0' }).expiresAt).toBeNull();
    expect(parseCacheSignals({ expires: 'never' }).expiresAt).toBeNull();
    expect(parseCacheSignals({})).toEqual({ maxAgeSeconds: null, expiresAt: null });
  });
});

describe('parseRetryAfter', () => {
  const now = new Date('2025-01-01T00:00:00Z');
  it.each([
    ['120', 120],
    ['0', 0],
    ['Wed, 01 Jan 2025 00:10:00 GMT', 600],
    ['Wednesday, 01-Jan-25 00:01:00 GMT', 60],
    ['Tue, 31 Dec 2024 23:00:00 GMT', 0],
    ['soon', null],
    ['-5', null],
  ])('%j → %j', (value, expected) => {
    expect(parseRetryAfter(value, now)).toBe(expected);
  });
});

describe('caching signals in FetchResult', () => {
  let server: TrackedServer;
  beforeAll(async () => {
    server = await startHttpServer((_req, res) =>
      res
        .writeHead(200, {
          'cache-control': 'public, max-age=900',
          expires: 'Thu, 01 Jan 2099 00:00:00 GMT',
          etag: 'W/"7"',
          'last-modified': 'Mon, 06 Jan 2025 10:00:00 GMT',
        })
        .end('<rss/>'),
    );
  });
  afterAll(() => server.close());

  it('carries etag, lastModified, max-age and Expires', async () => {
    const result = await fetchFeed(get(server.url('/')), testOptions(server));
    expect(result).toMatchObject({
      etag: 'W/"7"',
      lastModified: 'Mon, 06 Jan 2025 10:00:00 GMT',
      maxAgeSeconds: 900,
      expiresAt: new Date('2099-01-01T00:00:00Z'),
    });
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
  });
});
