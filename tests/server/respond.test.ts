// Content negotiation and the cache's bounds, as small tables.
import { describe, expect, it } from 'vitest';
import { createResponseCache, strongEtag, type CachedResponse } from '../../src/server/cache/response-cache.js';
import { negotiateEncoding } from '../../src/server/cache/respond.js';

describe('negotiateEncoding', () => {
  it.each([
    [undefined, 'identity'],
    ['', 'identity'],
    ['gzip, deflate, br', 'br'],
    ['gzip, deflate, br, zstd', 'br'],
    ['gzip', 'gzip'],
    ['br;q=0.5, gzip', 'gzip'],
    ['br;q=0, gzip;q=0', 'identity'],
    ['*', 'br'],
    ['*;q=0.1, gzip;q=0.5', 'gzip'],
    ['deflate', 'identity'],
    ['GZIP ; Q=1', 'gzip'],
  ])('%s → %s', (header, expected) => {
    expect(negotiateEncoding(header)).toBe(expected);
  });
});

const entry = (bytes: number): CachedResponse => {
  const body = Buffer.alloc(bytes, 'a');
  return {
    route: '/x',
    status: 200,
    contentType: 'text/plain',
    cacheControl: 'no-cache',
    etag: strongEtag(body),
    lastModified: null,
    location: null,
    body,
    variants: new Map(),
  };
};

describe('response cache', () => {
  it('evicts the least recently used entry beyond its bounds', () => {
    const cache = createResponseCache({ maxEntries: 2 });
    cache.set('news', 'a', entry(10), 0);
    cache.set('news', 'b', entry(10), 0);
    cache.get('news', 'a');
    cache.set('news', 'c', entry(10), 0);
    expect([cache.get('news', 'a'), cache.get('news', 'b'), cache.get('news', 'c')].map(Boolean)).toEqual([
      true,
      false,
      true,
    ]);
    const small = createResponseCache({ maxBytes: 25 });
    small.set('feeds', 'x', entry(10), 0);
    small.set('feeds', 'y', entry(20), 0);
    expect(small.get('feeds', 'x')).toBeUndefined();
    expect(small.stats.bytes).toBe(20);
  });

  it('refuses a render that raced an invalidation, and drops only the scope asked', () => {
    const cache = createResponseCache();
    const before = cache.generation('news');
    cache.set('feeds', 'f', entry(10), cache.generation('feeds'));
    cache.invalidate('news');
    cache.set('news', 'stale', entry(10), before);
    expect(cache.get('news', 'stale')).toBeUndefined();
    expect(cache.get('feeds', 'f')).toBeDefined();
    cache.invalidate();
    expect(cache.get('feeds', 'f')).toBeUndefined();
  });

  it('compresses once, and leaves bodies under 1 KB as they are', () => {
    const cache = createResponseCache();
    const big = entry(5000);
    const br = cache.bodyFor(big, 'br');
    expect(br.length).toBeLessThan(100);
    expect(cache.bodyFor(big, 'br')).toBe(br);
    const tiny = entry(100);
    expect(cache.bodyFor(tiny, 'gzip')).toBe(tiny.body);
  });
});
