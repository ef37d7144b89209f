// Serving through the cache: a GET is answered from memory when its URL was rendered since the data
// last changed, with ETag/Last-Modified validators (304 on a match) and br/gzip negotiated per request.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Request, RequestHandler } from 'express';
import { describeError } from '../../errors.js';
import { type DataScope, readDataVersion } from '../../store/read/index.js';
import { strongEtag, type CachedResponse, type Encoding } from './response-cache.js';
import type { ServerContext } from '../types.js';

/** What a route renders; the cache adds validators and compression. */
export interface Rendered {
  body: string | Buffer;
  contentType: string;
  /** Newest change among the data shown; null when unknown. */
  lastModified: Date | null;
  /** A permanent redirect to this URL instead of a 200 (the body is a short note). */
  location?: string;
  /** Not kept in the cache, nor by clients (an answer that depends on more than its scope's data). */
  noStore?: boolean;
}

/** Cache-Control per kind of route: feed readers poll, programs page, people reload. */
export const CACHE_CONTROL = {
  feed: 'public, max-age=300',
  list: 'public, max-age=30',
  detail: 'public, max-age=60',
  page: 'public, max-age=60',
  document: 'public, max-age=3600',
  none: 'no-store',
} as const;

export interface VersionWatch {
  /** Drops a scope's cache if its data version moved; queries at most once per interval. */
  ensureFresh(scope: DataScope): Promise<void>;
  /** True when no check is due: a cached answer may be sent without waiting. */
  isFresh(scope: DataScope): boolean;
}

/**
 * A request waits at most `waitMs` for a due version check: a database slow to answer (a flood of
 * uncached requests keeps it busy) must not hold every cached answer; the check goes on and drops
 * the cache when it ends, so the data shown is at most one check late.
 */
export function createVersionWatch(
  ctx: Pick<ServerContext, 'db' | 'cache' | 'now' | 'logger'>,
  intervalMs: number,
  waitMs = 50,
): VersionWatch {
  if (intervalMs <= 0) return { ensureFresh: () => Promise.resolve(), isFresh: () => true };
  const state: Record<DataScope, { checkedAt: number; version: string | null; pending: Promise<void> | null }> = {
    news: { checkedAt: -Infinity, version: null, pending: null },
    feeds: { checkedAt: -Infinity, version: null, pending: null },
  };
  const check = async (scope: DataScope): Promise<void> => {
    const s = state[scope];
    try {
      const version = await readDataVersion(ctx.db, scope);
      if (s.version !== null && version !== s.version) ctx.cache.invalidate(scope);
      s.version = version;
    } catch (err) {
      // Database unreachable: keep answering from what is cached rather than failing every request.
      ctx.logger.warn({ scope, error: describeError(err) }, 'server: data version check failed');
    } finally {
      s.checkedAt = ctx.now().getTime();
      s.pending = null;
    }
  };
  const isFresh = (scope: DataScope): boolean =>
    state[scope].pending === null && ctx.now().getTime() - state[scope].checkedAt < intervalMs;
  return {
    isFresh,
    ensureFresh(scope) {
      const s = state[scope];
      if (!s.pending && ctx.now().getTime() - s.checkedAt < intervalMs) return Promise.resolve();
      s.pending ??= check(scope);
      let timer: NodeJS.Timeout | undefined;
      const gaveUp = new Promise<void>((resolve) => (timer = setTimeout(resolve, waitMs)));
      return Promise.race([s.pending, gaveUp]).finally(() => clearTimeout(timer));
    },
  };
}

const weak = (etag: string): string => etag.replace(/^W\//, '');

function isNotModified(req: IncomingMessage, entry: CachedResponse): boolean {
  const inm = req.headers['if-none-match'];
  if (inm !== undefined) return inm.trim() === '*' || inm.split(',').some((t) => weak(t.trim()) === entry.etag);
  const ims = req.headers['if-modified-since'];
  if (ims === undefined || !entry.lastModified) return false;
  const since = Date.parse(ims);
  return !Number.isNaN(since) && Math.floor(entry.lastModified.getTime() / 1000) * 1000 <= since;
}

/** br over gzip when the client weighs them alike (browsers list gzip first); identity otherwise. */
export function negotiateEncoding(acceptEncoding: string | undefined): Encoding {
  const weights = new Map<string, number>();
  for (const part of (acceptEncoding ?? '').split(',')) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => /^\s*q=([01](?:\.\d{0,3})?)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    weights.set(name.trim(), q === undefined ? 1 : Number(q));
  }
  const weight = (name: string): number => weights.get(name) ?? weights.get('*') ?? 0;
  const br = weight('br');
  const gzip = weight('gzip');
  if (br > 0 && br >= gzip) return 'br';
  return gzip > 0 ? 'gzip' : 'identity';
}

// Node's own header calls: this runs for every cached answer, where Express's res.set() costs.
export function send(
  ctx: Pick<ServerContext, 'cache'>,
  req: IncomingMessage,
  res: ServerResponse,
  entry: CachedResponse,
  hit: boolean,
): void {
  const encoding = negotiateEncoding(req.headers['accept-encoding']);
  const body = ctx.cache.bodyFor(entry, encoding);
  const compressed = body !== entry.body;
  res.setHeader('Cache-Control', entry.cacheControl);
  res.setHeader('ETag', compressed ? `W/${entry.etag}` : entry.etag);
  res.setHeader('Vary', 'Accept-Encoding');
  res.setHeader('X-Cache', hit ? 'hit' : 'miss');
  if (entry.lastModified) res.setHeader('Last-Modified', entry.lastModified.toUTCString());
  if (entry.location) res.setHeader('Location', entry.location);
  if (isNotModified(req, entry)) {
    res.writeHead(304).end();
    return;
  }
  res.setHeader('Content-Type', entry.contentType);
  res.setHeader('Content-Length', body.length);
  if (compressed) res.setHeader('Content-Encoding', encoding);
  res.writeHead(entry.status).end(body);
}

async function renderEntry(
  req: Request,
  cacheControl: string,
  render: (req: Request) => Promise<Rendered>,
): Promise<CachedResponse> {
  const out = await render(req);
  const route = (req.route as { path?: string } | undefined)?.path ?? 'unmatched';
  const body = typeof out.body === 'string' ? Buffer.from(out.body, 'utf8') : out.body;
  const location = out.location ?? null;
  return {
    route,
    status: location ? 308 : 200,
    contentType: out.contentType,
    cacheControl: out.noStore ? CACHE_CONTROL.none : cacheControl,
    etag: strongEtag(body),
    lastModified: out.lastModified,
    location,
    body,
    variants: new Map(),
  };
}

/** Who a render is counted against: the connection's address (a proxy in front counts as one client). */
const clientOf = (req: IncomingMessage): string => req.socket.remoteAddress ?? 'unknown';

/**
 * A GET route answered from the cache, rendering on a miss (within the render gate's bounds). Concurrent misses of one URL share one
 * render, so a burst on a cold feed costs one set of queries. Errors thrown by render are not cached.
 */
export function cachedRoute(
  ctx: ServerContext,
  watch: VersionWatch,
  scope: DataScope,
  cacheControl: string,
  render: (req: Request) => Promise<Rendered>,
): RequestHandler {
  const inflight = new Map<string, Promise<CachedResponse>>();
  return async (req, res) => {
    await watch.ensureFresh(scope);
    const key = ctx.baseUrl(req) + req.originalUrl;
    const cached = ctx.cache.get(scope, key);
    if (cached) return send(ctx, req, res, cached, true);
    const generation = ctx.cache.generation(scope);
    const flightKey = `${generation} ${key}`;
    let pending = inflight.get(flightKey);
    if (!pending) {
      pending = ctx.renders
        .admit(clientOf(req), () => renderEntry(req, cacheControl, render))
        .finally(() => inflight.delete(flightKey));
      inflight.set(flightKey, pending);
      const entry = await pending;
      if (entry.cacheControl !== CACHE_CONTROL.none) ctx.cache.set(scope, key, entry, generation);
    }
    send(ctx, req, res, await pending, false);
  };
}
