// Rendered responses kept in memory, per data scope and URL, with their compressed variants made on
// first demand. Two ways to drop them: invalidate() (the worker in this process calls it after
// writing) and a data-version check at most once per interval (for writers in other processes).
import { createHash } from 'node:crypto';
import { brotliCompressSync, constants as zlibConstants, gzipSync } from 'node:zlib';
import type { DataScope } from '../../store/read/index.js';

export type Encoding = 'br' | 'gzip' | 'identity';

export interface CachedResponse {
  /** The route pattern that rendered it, for the request metrics of answers served before routing. */
  route: string;
  status: number;
  contentType: string;
  cacheControl: string;
  /** Strong validator of the identity body; variants share it as a weak one. */
  etag: string;
  lastModified: Date | null;
  /** Set on redirects (a merged story's old id). */
  location: string | null;
  body: Buffer;
  /** Compressed bodies by encoding, filled lazily. */
  variants: Map<Encoding, Buffer>;
}

export interface ResponseCache {
  /** Drops cached responses (of one scope, or all): call after writing items, stories or feeds. */
  invalidate(scope?: DataScope): void;
  get(scope: DataScope, key: string): CachedResponse | undefined;
  /** The entry for a key in whichever scope holds it. */
  find(key: string): { scope: DataScope; entry: CachedResponse } | undefined;
  /** Stores unless the scope was invalidated since `generation` was read (a render raced a write). */
  set(scope: DataScope, key: string, entry: CachedResponse, generation: number): void;
  /** Counter that moves on every invalidation of the scope. */
  generation(scope: DataScope): number;
  /** The body in the negotiated encoding, compressing once per entry. */
  bodyFor(entry: CachedResponse, encoding: Encoding): Buffer;
  readonly stats: { entries: number; bytes: number; hits: number; misses: number };
}

export interface CacheOptions {
  maxEntries?: number;
  maxBytes?: number;
}

/** Bodies below this are sent as they are: compression would cost more than it saves. */
export const COMPRESS_MIN_BYTES = 1024;

export function compress(body: Buffer, encoding: Encoding): Buffer {
  if (encoding === 'gzip') return gzipSync(body, { level: 6 });
  // Quality 5: within a few percent of the best for feeds, at a fraction of quality 11's time.
  if (encoding === 'br')
    return brotliCompressSync(body, {
      params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 5, [zlibConstants.BROTLI_PARAM_SIZE_HINT]: body.length },
    });
  return body;
}

export function strongEtag(body: Buffer): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
}

const sizeOf = (e: CachedResponse): number =>
  e.body.length + [...e.variants.values()].reduce((n, b) => n + b.length, 0);

/** An LRU map per scope, bounded in entries and bytes (query strings are unbounded, memory is not). */
export function createResponseCache(options: CacheOptions = {}): ResponseCache {
  const maxEntries = options.maxEntries ?? 2000;
  const maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
  const maps: Record<DataScope, Map<string, CachedResponse>> = { news: new Map(), feeds: new Map() };
  const generations: Record<DataScope, number> = { news: 0, feeds: 0 };
  const stats = { entries: 0, bytes: 0, hits: 0, misses: 0 };

  const recount = (): void => {
    stats.entries = maps.news.size + maps.feeds.size;
    stats.bytes = [...maps.news.values(), ...maps.feeds.values()].reduce((n, e) => n + sizeOf(e), 0);
  };
  const evict = (): void => {
    for (const map of [maps.news, maps.feeds]) {
      while (map.size > 0 && (stats.entries > maxEntries || stats.bytes > maxBytes)) {
        const oldest = map.keys().next().value as string;
        stats.bytes -= sizeOf(map.get(oldest)!);
        map.delete(oldest);
        stats.entries -= 1;
      }
    }
  };

  const get = (scope: DataScope, key: string): CachedResponse | undefined => {
    const entry = maps[scope].get(key);
    if (!entry) {
      stats.misses += 1;
      return undefined;
    }
    // Re-insert: Map keeps insertion order, so the first key is the least recently used.
    maps[scope].delete(key);
    maps[scope].set(key, entry);
    stats.hits += 1;
    return entry;
  };

  return {
    invalidate(scope) {
      for (const s of scope ? [scope] : (['news', 'feeds'] as const)) {
        maps[s].clear();
        generations[s] += 1;
      }
      recount();
    },
    get,
    find(key) {
      const scope = maps.news.has(key) ? 'news' : maps.feeds.has(key) ? 'feeds' : null;
      if (scope === null) {
        stats.misses += 1;
        return undefined;
      }
      return { scope, entry: get(scope, key)! };
    },
    set(scope, key, entry, generation) {
      if (generation !== generations[scope]) return;
      const old = maps[scope].get(key);
      if (old) stats.bytes -= sizeOf(old);
      else stats.entries += 1;
      maps[scope].delete(key);
      maps[scope].set(key, entry);
      stats.bytes += sizeOf(entry);
      evict();
    },
    generation: (scope) => generations[scope],
    bodyFor(entry, encoding) {
      if (encoding === 'identity' || entry.body.length < COMPRESS_MIN_BYTES) return entry.body;
      let variant = entry.variants.get(encoding);
      if (!variant) {
        variant = compress(entry.body, encoding);
        entry.variants.set(encoding, variant);
        stats.bytes += variant.length;
      }
      return variant;
    },
    stats,
  };
}
