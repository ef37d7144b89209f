// Refreshes one feed: fetch → (autodiscover) → parse → normalise → store, then records the outcome
// on the feed's row. A failure is written on that feed and never thrown to the caller.
import type { Logger } from '../log.js';
import type { Feed, FetchResult } from '../model.js';
import { FetchError, ParseError, describeError } from '../errors.js';
import { fetchFeed, type FetchOptions } from '../fetch/index.js';
import type { FetchLimiter } from '../fetch/index.js';
import { parseFeed } from '../parse/index.js';
import { normalizeItems, sha256 } from '../normalize/index.js';
import { discoverFeedUrls, looksLikeHtml } from '../sources/discover.js';
import type { Db } from '../store/db.js';
import { moveFeed, recordFetchError, recordFetchSuccess } from '../store/feeds.js';
import { logFetch, upsertItems } from '../store/items.js';
import { nextFetchAfterError, nextFetchAfterSuccess, type PollPolicy } from './schedule.js';

export type RefreshOutcome = 'ok' | 'not-modified' | 'unchanged' | 'error';

export interface RefreshReport {
  feedId: number;
  url: string;
  outcome: RefreshOutcome;
  status: number | null;
  itemsNew: number;
  itemsUpdated: number;
  durationMs: number;
  error: string | null;
}

export interface RefreshDeps {
  db: Db;
  fetchOptions: FetchOptions;
  limiter: FetchLimiter;
  policy: PollPolicy;
  maxItemsPerFetch: number;
  logger: Logger;
  workerId: string;
  now: () => Date;
  random: () => number;
  onReport?: (report: RefreshReport, outlet: string) => void;
}

/** A stopping worker's limiter throws this instead of starting a fetch: the feed is handed back, not failed. */
export class RefreshNotStarted extends Error {
  override name = 'RefreshNotStarted';
  constructor(url: string) {
    super(`worker: not fetching ${url}, the worker is stopping`);
  }
}

/** Fetches a feed's URL; an HTML page is replaced by the feed it advertises (autodiscovery), once. */
async function fetchDocument(deps: RefreshDeps, feed: Feed): Promise<{ result: FetchResult; url: string }> {
  const request = { url: feed.url, etag: feed.etag, lastModified: feed.lastModified };
  const result = await deps.limiter.run(feed.url, () => fetchFeed(request, deps.fetchOptions));
  if (result.notModified || !result.body || !looksLikeHtml(result.body)) return { result, url: result.permanentUrl ?? feed.url };
  const [discovered] = discoverFeedUrls(result.body, result.finalUrl);
  if (!discovered) throw new ParseError('not a feed: an HTML page that advertises no feed');
  deps.logger.info({ feed_id: feed.id, feed_url: feed.url, discovered_url: discovered }, 'feed discovered from page');
  const found = await deps.limiter.run(discovered, () => fetchFeed({ url: discovered, etag: null, lastModified: null }, deps.fetchOptions));
  if (found.body && looksLikeHtml(found.body)) throw new ParseError(`not a feed: ${discovered}, advertised by the page, is HTML`);
  return { result: found, url: found.permanentUrl ?? discovered };
}

/** Stores a fetched document; returns the outcome and counts. */
async function storeDocument(deps: RefreshDeps, feed: Feed, result: FetchResult, startedAt: Date): Promise<Omit<RefreshReport, 'feedId' | 'url' | 'durationMs' | 'error'>> {
  const now = deps.now();
  const cache = { maxAgeSeconds: result.maxAgeSeconds, expiresAt: result.expiresAt };
  const success = { etag: result.etag, lastModified: result.lastModified, fetchedAt: now, status: result.status };
  const bodyHash = result.body === null ? null : sha256(result.body);
  if (result.notModified || bodyHash === feed.bodyHash) {
    const outcome = result.notModified ? 'not-modified' : 'unchanged';
    await deps.db.transaction(async (tx) => {
      const nextFetchAt = nextFetchAfterSuccess(now, cache, feed.scheduleHints, deps.policy);
      await recordFetchSuccess(tx, feed.id, { ...success, bodyHash: null, hints: null, nextFetchAt, title: null });
      await logFetch(tx, fetchLogEntry(deps, feed.id, startedAt, now, outcome, result, null));
    });
    return { outcome, status: result.status, itemsNew: 0, itemsUpdated: 0 };
  }
  const parsed = await parseFeed(result.body!, { maxItems: deps.maxItemsPerFetch });
  const items = normalizeItems(parsed, { feedUrl: result.finalUrl, now, maxItems: deps.maxItemsPerFetch });
  const stored = await deps.db.transaction(async (tx) => {
    const upserted = await upsertItems(tx, feed.id, items, now);
    const nextFetchAt = nextFetchAfterSuccess(now, cache, parsed.hints, deps.policy);
    await recordFetchSuccess(tx, feed.id, { ...success, bodyHash, hints: parsed.hints, nextFetchAt, title: parsed.title });
    const counts = { found: items.length, new: upserted.inserted.length, updated: upserted.updated.length };
    await logFetch(tx, fetchLogEntry(deps, feed.id, startedAt, now, 'ok', result, counts));
    return counts;
  });
  return { outcome: 'ok', status: result.status, itemsNew: stored.new, itemsUpdated: stored.updated };
}

function fetchLogEntry(
  deps: RefreshDeps,
  feedId: number,
  startedAt: Date,
  now: Date,
  outcome: RefreshOutcome,
  result: FetchResult | null,
  counts: { found: number; new: number; updated: number } | null,
  error: { kind: string; message: string; status: number | null } | null = null,
) {
  return {
    feedId,
    startedAt,
    durationMs: now.getTime() - startedAt.getTime(),
    outcome,
    status: result?.status ?? error?.status ?? null,
    bytes: result?.bytes ?? null,
    itemsFound: counts?.found ?? null,
    itemsNew: counts?.new ?? null,
    itemsUpdated: counts?.updated ?? null,
    errorKind: error?.kind ?? null,
    errorMessage: error?.message ?? null,
    worker: deps.workerId,
  };
}

/** The error column values: where it failed (fetch, http, parse, store) and why. */
export function classifyError(err: unknown): { kind: string; message: string; status: number | null; retryAfterSeconds: number | null; gone: boolean } {
  const message = describeError(err);
  if (err instanceof FetchError) {
    const status = err.details.status ?? null;
    const gone = status === 410;
    return {
      kind: err.kind === 'http-status' ? 'http' : 'fetch',
      message: gone ? `${message} (the server says the feed is gone: polling stopped)` : message,
      status,
      retryAfterSeconds: err.details.retryAfterSeconds ?? null,
      gone,
    };
  }
  if (err instanceof ParseError) return { kind: 'parse', message, status: null, retryAfterSeconds: null, gone: false };
  return { kind: 'store', message: `store: ${message}`, status: null, retryAfterSeconds: null, gone: false };
}

async function recordError(deps: RefreshDeps, feed: Feed, startedAt: Date, err: unknown): Promise<RefreshReport> {
  const now = deps.now();
  const e = classifyError(err);
  const nextFetchAt = nextFetchAfterError(now, feed.errorCount + 1, e.retryAfterSeconds, deps.policy, deps.random);
  await deps.db.transaction(async (tx) => {
    await recordFetchError(tx, feed.id, { nextFetchAt, fetchedAt: now, status: e.status, kind: e.kind, message: e.message, gone: e.gone });
    await logFetch(tx, fetchLogEntry(deps, feed.id, startedAt, now, 'error', null, null, e));
  });
  deps.logger.warn(
    { feed_id: feed.id, feed_url: feed.url, outlet: feed.outlet, error_kind: e.kind, status: e.status, reason: e.message, error_count: feed.errorCount + 1, next_fetch_at: e.gone ? null : nextFetchAt.toISOString() },
    e.gone ? 'feed gone' : 'feed refresh failed',
  );
  return { feedId: feed.id, url: feed.url, outcome: 'error', status: e.status, itemsNew: 0, itemsUpdated: 0, durationMs: now.getTime() - startedAt.getTime(), error: e.message };
}

/** Refreshes one claimed feed and releases its lease; never throws but RefreshNotStarted (nothing was done). */
export async function refreshFeed(deps: RefreshDeps, feed: Feed): Promise<RefreshReport> {
  const startedAt = deps.now();
  let report: RefreshReport;
  try {
    const { result, url } = await fetchDocument(deps, feed);
    if (url !== feed.url && (await moveFeed(deps.db, feed.id, url))) {
      deps.logger.info({ feed_id: feed.id, feed_url: feed.url, new_url: url }, 'feed moved');
    }
    const stored = await storeDocument(deps, feed, result, startedAt);
    report = { feedId: feed.id, url, ...stored, durationMs: deps.now().getTime() - startedAt.getTime(), error: null };
    deps.logger.info(
      { feed_id: feed.id, feed_url: url, outlet: feed.outlet, outcome: report.outcome, status: report.status, items_new: report.itemsNew, items_updated: report.itemsUpdated, duration_ms: report.durationMs },
      'feed refreshed',
    );
  } catch (err) {
    // Nothing was fetched or written: the stopping worker releases the lease with its others.
    if (err instanceof RefreshNotStarted) throw err;
    report = await recordError(deps, feed, startedAt, err);
  }
  deps.onReport?.(report, feed.outlet);
  return report;
}
