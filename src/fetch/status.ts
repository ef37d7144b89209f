// What a response's status means for a feed fetch: a body to read, "not modified", a redirect to
// follow, or a FetchError carrying the status and any Retry-After.
import { STATUS_CODES } from 'node:http';
import { FetchError } from '../errors.js';
import { headerValue, parseRetryAfter, singleHeader, type HeaderValue } from './cache-headers.js';

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/** Only these say "the resource has moved for good" (RFC 9110 §15.4). */
export const PERMANENT_REDIRECTS = new Set([301, 308]);

export type StatusOutcome = { kind: 'body' } | { kind: 'not-modified' } | { kind: 'redirect'; location: string };

export interface StatusContext {
  url: string;
  /** True when the request carried If-None-Match or If-Modified-Since. */
  conditional: boolean;
  now: Date;
}

/** The outcome of a status, or a thrown FetchError('http-status') for anything a feed fetch cannot use. */
export function interpretStatus(
  status: number,
  headers: Record<string, HeaderValue>,
  context: StatusContext,
): StatusOutcome {
  if (status >= 200 && status < 300) return { kind: 'body' };
  if (status === 304) {
    if (context.conditional) return { kind: 'not-modified' };
    throw new FetchError('http-status', `HTTP 304 Not Modified to a request without validators (${context.url})`, {
      status,
      url: context.url,
    });
  }
  if (REDIRECTS.has(status)) {
    const location = singleHeader(headers['location']);
    if (location) return { kind: 'redirect', location };
    throw new FetchError('http-status', `HTTP ${status} redirect without a Location header (${context.url})`, {
      status,
      url: context.url,
    });
  }
  throw statusError(status, headers, context);
}

function statusError(status: number, headers: Record<string, HeaderValue>, context: StatusContext): FetchError {
  const retryAfterSeconds = parseRetryAfter(headerValue(headers['retry-after']), context.now);
  const label = `HTTP ${status}${STATUS_CODES[status] ? ` ${STATUS_CODES[status]}` : ''}`;
  const why =
    status === 410
      ? ': the feed was removed'
      : retryAfterSeconds !== null
        ? `, retry after ${retryAfterSeconds} s`
        : '';
  return new FetchError('http-status', `${label}${why} (${context.url})`, {
    status,
    retryAfterSeconds,
    url: context.url,
  });
}
