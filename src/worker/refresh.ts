// Refreshes one feed: fetch → (autodiscover) → parse → normalise → store, then records the outcome
// on the feed's row. A failure is written on that feed and never thrown to the caller.
import type { Logger } from '../log.js';
import type { Feed, FetchResult } from '../model.js';
import { FetchError, ParseError, describeError } from '../errors.js';
import { hideCredentials } from '../redact.js';
import { fetchFeed, type FetchOptions } from '../fetch/index.js';
import type { FetchLimiter } from '../fetch/index.js';
import { sha256, type NormalizeContext } from '../normalize/index.js';
import { discoverFeedUrls, looksLikeHtml } from '../sources/discover.js';
import type { Db } from '../store/db/db.js';
import { storeDocument, type UpsertResult } from '../store/documents.js';
import { moveFeed, recordFetchError, recordQuietFetches, type QuietFetch } from '../store/feeds.js';
import { logFetch, type FetchLogEntry } from '../store/fetch-log.js';
import { readDocument, type ReadDocument } from './document.js';
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
  /** Runs the parsing and storing of large documents one at a time, when given (bounds peak memory). */
  largeDocuments?: <T>(work: () => Promise<T>) => Promise<T>;
  /** Reads large documents elsewhere (a worker thread), when given, so this thread stays responsive. */
  readLargeDocument?: (body: string, context: NormalizeContext) => Promise<ReadDocument>;
  /** Writes quiet fetches (304, unchanged body), batched with other feeds' when given. */
  recordQuietFetch?: (fetch: QuietFetch) => Promise<void>;
  onReport?: (report: RefreshReport, outlet: string) => void;
  /** The ids of the items a document added, once stored, in the order documents were stored. */
  onItemsStored?: (itemIds: number[]) => void;
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
  if (result.notModified || !result.body || !looksLikeHtml(result.body))
    return { result, url: result.permanentUrl ?? feed.url };
  const [discovered] = discoverFeedUrls(result.body, result.finalUrl);
  if (!discovered) throw new ParseError('not a feed: an HTML page that advertises no feed');
  deps.logger.info({ feed_id: feed.id, feed_url: feed.url, discovered_url: discovered }, 'feed discovered from page');
  const found = await deps.limiter.run(discovered, () =>
    fetchFeed({ url: discovered, etag: null, lastModified: null }, deps.fetchOptions),
  );
  if (found.body && looksLikeHtml(found.body))
    throw new ParseError(`not a feed: ${discovered}, advertised by the page, is HTML`);
  return { result: found, url: found.permanentUrl ?? discovered };
}

/** Stores a fetched document; returns the outcome and counts. */
async function storeFetched(
  deps: RefreshDeps,
  feed: Feed,
  result: FetchResult,
  startedAt: Date,
): Promise<Omit<RefreshReport, 'feedId' | 'url' | 'durationMs' | 'error'>> {
  const now = deps.now();
  const bodyHash = result.body === null ? null : sha256(result.body);
  if (result.notModified || bodyHash === feed.bodyHash) {
    const outcome = result.notModified ? 'not-modified' : 'unchanged';
    const nextFetchAt = nextFetchAfterSuccess(now, result, feed.scheduleHints, deps.policy);
    const quiet: QuietFetch = {
      feedId: feed.id,
      outcome,
      etag: result.etag,
      lastModified: result.lastModified,
      status: result.status,
      nextFetchAt,
      startedAt,
      fetchedAt: now,
      worker: deps.workerId,
    };
    await (deps.recordQuietFetch ? deps.recordQuietFetch(quiet) : recordQuietFetches(deps.db, [quiet]));
    return { outcome, status: result.status, itemsNew: 0, itemsUpdated: 0 };
  }
  const body = result.body!;
  const store = () => parseAndStore(deps, feed.id, result, body, { startedAt, fetchedAt: now, bodyHash });
  const stored =
    body.length > LARGE_DOCUMENT_CHARS && deps.largeDocuments ? await deps.largeDocuments(store) : await store();
  if (stored.inserted.length > 0) deps.onItemsStored?.(stored.inserted);
  return {
    outcome: 'ok',
    status: result.status,
    itemsNew: stored.inserted.length,
    itemsUpdated: stored.updated.length,
  };
}

/**
 * Documents above this size (512 KB of text) are parsed one at a time: each takes tens of MB while
 * parsed, and a few at once would multiply the worker's peak memory.
 */
const LARGE_DOCUMENT_CHARS = 512 * 1024;

async function parseAndStore(
  deps: RefreshDeps,
  feedId: number,
  result: FetchResult,
  body: string,
  c: { startedAt: Date; fetchedAt: Date; bodyHash: string | null },
): Promise<UpsertResult> {
  const context = { feedUrl: result.finalUrl, now: c.fetchedAt, maxItems: deps.maxItemsPerFetch };
  const read = body.length > LARGE_DOCUMENT_CHARS && deps.readLargeDocument ? deps.readLargeDocument : readDocument;
  const doc = await read(body, context);
  return storeDocument(deps.db, feedId, doc.items, {
    etag: result.etag,
    lastModified: result.lastModified,
    bodyHash: c.bodyHash,
    hints: doc.hints,
    nextFetchAt: nextFetchAfterSuccess(c.fetchedAt, result, doc.hints, deps.policy),
    fetchedAt: c.fetchedAt,
    status: result.status,
    title: doc.title,
    startedAt: c.startedAt,
    bytes: result.bytes,
    worker: deps.workerId,
  });
}

/** The fetch-log line of a failed fetch. */
function errorLogEntry(
  deps: RefreshDeps,
  feedId: number,
  startedAt: Date,
  now: Date,
  error: { kind: string; message: string; status: number | null },
): FetchLogEntry {
  return {
    feedId,
    startedAt,
    durationMs: now.getTime() - startedAt.getTime(),
    outcome: 'error',
    status: error.status,
    bytes: null,
    itemsFound: null,
    itemsNew: null,
    itemsUpdated: null,
    errorKind: error.kind,
    errorMessage: error.message,
    worker: deps.workerId,
  };
}

/** The error column values: where it failed (fetch, http, parse, store) and why. */
export function classifyError(err: unknown): {
  kind: string;
  message: string;
  status: number | null;
  retryAfterSeconds: number | null;
  gone: boolean;
} {
  // Stored on the feed and shown by the API: a URL in it keeps no credentials.
  const message = hideCredentials(describeError(err));
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
    await recordFetchError(tx, feed.id, {
      nextFetchAt,
      fetchedAt: now,
      status: e.status,
      kind: e.kind,
      message: e.message,
      gone: e.gone,
    });
    await logFetch(tx, errorLogEntry(deps, feed.id, startedAt, now, e));
  });
  deps.logger.warn(
    {
      feed_id: feed.id,
      feed_url: feed.url,
      outlet: feed.outlet,
      error_kind: e.kind,
      status: e.status,
      reason: e.message,
      error_count: feed.errorCount + 1,
      next_fetch_at: e.gone ? null : nextFetchAt.toISOString(),
    },
    e.gone ? 'feed gone' : 'feed refresh failed',
  );
  return {
    feedId: feed.id,
    url: feed.url,
    outcome: 'error',
    status: e.status,
    itemsNew: 0,
    itemsUpdated: 0,
    durationMs: now.getTime() - startedAt.getTime(),
    error: e.message,
  };
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
    const stored = await storeFetched(deps, feed, result, startedAt);
    report = { feedId: feed.id, url, ...stored, durationMs: deps.now().getTime() - startedAt.getTime(), error: null };
    deps.logger.info(
      {
        feed_id: feed.id,
        feed_url: url,
        outlet: feed.outlet,
        outcome: report.outcome,
        status: report.status,
        items_new: report.itemsNew,
        items_updated: report.itemsUpdated,
        duration_ms: report.durationMs,
      },
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
