// fetchFeed: a conditional GET that follows redirects by hand (each hop re-checked by the address
// guard), enforces the time and size limits, and returns a decoded body with the server's caching
// signals. Any failure is one FetchError naming its kind.
import type { Config } from '../config.js';
import { FetchError } from '../errors.js';
import type { FetchResult } from '../model.js';
import { parseFetchUrl } from './address.js';
import { readBody, tooLarge } from './body.js';
import { parseCacheSignals, singleHeader } from './cache-headers.js';
import { decodeBody } from './charset.js';
import { toFetchError } from './failure.js';
import { MAX_HEADER_BYTES, startWatch, withHop, type ConnectionPool, type HopResponse, type Watch } from './hop.js';
import { interpretStatus, PERMANENT_REDIRECTS, type StatusOutcome } from './status.js';

export interface FeedRequest {
  url: string;
  etag: string | null;
  lastModified: string | null;
  /** What to ask for: a feed (default) or an HTML page (autodiscovery). */
  accept?: 'feed' | 'html';
}

export interface FetchOptions {
  userAgent: string;
  /** Connecting plus waiting for the response headers, per hop. */
  connectTimeoutMs: number;
  /** The whole fetch, redirects and body included. */
  timeoutMs: number;
  /** Largest body accepted, after decompression. */
  maxBytes: number;
  maxRedirects: number;
  /** Exact host:port pairs that may be reached although private or loopback. */
  allowPrivateHosts: string[];
  /** Connections shared with other fetches (a worker pass); without it each request connects anew. */
  pool?: ConnectionPool;
}

const ACCEPT = {
  feed: 'application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.8',
  html: 'text/html, application/xhtml+xml;q=0.9, */*;q=0.8',
} as const;

/** The fetch settings out of the configuration table. */
export function fetchOptionsFromConfig(config: Config): FetchOptions {
  return {
    userAgent: config.userAgent,
    connectTimeoutMs: config.fetchConnectTimeout,
    timeoutMs: config.fetchTimeout,
    maxBytes: config.fetchMaxBytes,
    maxRedirects: config.fetchMaxRedirects,
    allowPrivateHosts: config.allowPrivateHosts,
  };
}

/** Fetches a feed (or page) and returns its decoded body, or "not modified"; throws FetchError. */
export async function fetchFeed(request: FeedRequest, options: FetchOptions): Promise<FetchResult> {
  const startedAt = performance.now();
  const total = startWatch(options.timeoutMs, `no complete response within ${options.timeoutMs} ms`);
  let url = request.url;
  try {
    return await followRedirects(request, options, total, startedAt, (hopUrl) => (url = hopUrl));
  } catch (err) {
    throw toFetchError(err, {
      url,
      timedOut: total.timedOut,
      maxHeaderBytes: MAX_HEADER_BYTES,
      maxBytes: options.maxBytes,
    });
  } finally {
    total.clear();
  }
}

async function followRedirects(
  request: FeedRequest,
  options: FetchOptions,
  total: Watch,
  startedAt: number,
  onHop: (url: string) => void,
): Promise<FetchResult> {
  let url = parseFetchUrl(request.url);
  const seen = new Set([url.href]);
  let permanent = true;
  for (let redirects = 0; ; redirects++) {
    const current = url;
    onHop(current.href);
    const step = await withHop(current, requestHeaders(current, request, options), options, total, (response) =>
      readHop(current, response, request, options),
    );
    if (step.kind === 'done')
      return {
        ...step.result,
        permanentUrl: redirects > 0 && permanent ? current.href : null,
        durationMs: Math.round(performance.now() - startedAt),
      };
    permanent &&= PERMANENT_REDIRECTS.has(step.status);
    const next = parseFetchUrl(step.location, current);
    if (seen.has(next.href))
      throw new FetchError('too-many-redirects', `redirect loop: ${current.href} leads back to ${next.href}`, {
        url: request.url,
      });
    if (redirects + 1 > options.maxRedirects)
      throw new FetchError('too-many-redirects', `more than ${options.maxRedirects} redirects from ${request.url}`, {
        url: request.url,
      });
    seen.add(next.href);
    url = next;
  }
}

type HopStep =
  | { kind: 'done'; result: Omit<FetchResult, 'permanentUrl' | 'durationMs'> }
  | { kind: 'redirect'; status: number; location: string };

async function readHop(url: URL, response: HopResponse, request: FeedRequest, options: FetchOptions): Promise<HopStep> {
  const conditional = request.etag !== null || request.lastModified !== null;
  const outcome: StatusOutcome = interpretStatus(response.status, response.headers, {
    url: url.href,
    conditional,
    now: new Date(),
  });
  if (outcome.kind === 'redirect') return { kind: 'redirect', status: response.status, location: outcome.location };
  const body = outcome.kind === 'body' ? await readDeclaredBody(url, response, options.maxBytes) : null;
  const contentType = singleHeader(response.headers['content-type']);
  return {
    kind: 'done',
    result: {
      status: response.status,
      finalUrl: url.href,
      notModified: outcome.kind === 'not-modified',
      body: body === null ? null : decodeBody(body, { contentType, html: request.accept === 'html' }),
      contentType: contentType === null ? null : (contentType.split(';')[0]?.trim().toLowerCase() ?? null),
      bytes: body?.length ?? 0,
      // A 304 may omit validators that did not change (RFC 9110 §15.4.5): keep the ones we sent.
      etag: singleHeader(response.headers['etag']) ?? (outcome.kind === 'not-modified' ? request.etag : null),
      lastModified:
        singleHeader(response.headers['last-modified']) ??
        (outcome.kind === 'not-modified' ? request.lastModified : null),
      ...parseCacheSignals(response.headers),
    },
  };
}

async function readDeclaredBody(url: URL, response: HopResponse, maxBytes: number): Promise<Buffer> {
  const limits = { maxBytes, url: url.href };
  const declared = Number(singleHeader(response.headers['content-length']) ?? NaN);
  if (declared > maxBytes) throw tooLarge(limits);
  return readBody(response.body, singleHeader(response.headers['content-encoding']), limits);
}

function requestHeaders(url: URL, request: FeedRequest, options: FetchOptions): Record<string, string> {
  const headers: Record<string, string> = {
    'user-agent': options.userAgent,
    accept: ACCEPT[request.accept ?? 'feed'],
    'accept-encoding': 'gzip, deflate, br',
  };
  if (request.etag !== null) headers['if-none-match'] = request.etag;
  if (request.lastModified !== null) headers['if-modified-since'] = request.lastModified;
  // Credentials in the URL (https://user:pass@host/feed) become Basic auth for that URL only.
  if (url.username || url.password)
    headers.authorization = `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`;
  return headers;
}
