// One HTTP request (one redirect hop) through its own undici Agent. The Agent carries the address
// guard in its DNS lookup and is destroyed when the hop ends, so no socket outlives a fetch.
import type { Readable } from 'node:stream';
import { Agent, request } from 'undici';
import { FetchError } from '../errors.js';
import { assertPublicLiteralHost, createGuardedLookup, isAllowedPrivateHost } from './address.js';
import type { HeaderValue } from './cache-headers.js';

/** Response headers larger than this are refused (undici's default is Node's 16 KB; feeds need far less). */
export const MAX_HEADER_BYTES = 32 * 1024;

export interface HopLimits {
  connectTimeoutMs: number;
  timeoutMs: number;
  maxBytes: number;
  allowPrivateHosts: readonly string[];
}

export interface HopResponse {
  status: number;
  headers: Record<string, HeaderValue>;
  body: Readable;
}

/** Why a timer fired, for the error message; the loop checks it before trusting undici's error. */
export interface Watch {
  signal: AbortSignal;
  timedOut: string | null;
}

/** An AbortSignal that fires after `ms`, remembering `reason`; `clear` stops it. */
export function startWatch(ms: number, reason: string, parent?: Watch): Watch & { clear(): void } {
  const controller = new AbortController();
  const watch: Watch & { clear(): void } = {
    signal: parent ? AbortSignal.any([parent.signal, controller.signal]) : controller.signal,
    timedOut: null,
    clear: () => clearTimeout(timer),
  };
  const timer = setTimeout(() => {
    watch.timedOut = reason;
    controller.abort(new Error(reason));
  }, ms);
  return watch;
}

/**
 * Sends a GET to `url` and hands the response to `use`; the body and the connection are destroyed
 * when `use` settles. Response headers must arrive within connectTimeoutMs (connecting included).
 */
export async function withHop<T>(url: URL, headers: Record<string, string>, limits: HopLimits, total: Watch, use: (response: HopResponse) => Promise<T>): Promise<T> {
  const allowPrivate = isAllowedPrivateHost(url, limits.allowPrivateHosts);
  if (!allowPrivate) assertPublicLiteralHost(url);
  const agent = createAgent(url, limits, allowPrivate);
  const hop = startWatch(limits.connectTimeoutMs, `no response headers within ${limits.connectTimeoutMs} ms`, total);
  let body: Readable | null = null;
  try {
    const response = await request(withoutCredentials(url), { dispatcher: agent, method: 'GET', headers, signal: hop.signal });
    hop.clear();
    body = response.body;
    return await use({ status: response.statusCode, headers: response.headers, body });
  } catch (err) {
    const timedOut = hop.timedOut ?? total.timedOut;
    if (timedOut !== null && !(err instanceof FetchError)) throw new FetchError('timeout', `${timedOut} (${url.href})`, { url: url.href }, { cause: err });
    throw err;
  } finally {
    hop.clear();
    if (body) discard(body);
    await agent.destroy().catch(() => undefined);
  }
}

/** Drops an unread or half-read body; undici reports that as an 'error' nobody needs to hear. */
function discard(body: Readable): void {
  if (body.destroyed) return;
  body.on('error', () => undefined);
  body.destroy();
}

/** Credentials travel in the Authorization header (see http.ts), never in the request target. */
function withoutCredentials(url: URL): URL {
  if (!url.username && !url.password) return url;
  const bare = new URL(url.href);
  bare.username = '';
  bare.password = '';
  return bare;
}

function createAgent(url: URL, limits: HopLimits, allowPrivate: boolean): Agent {
  return new Agent({
    connect: {
      timeout: limits.connectTimeoutMs,
      // An allowed host:port keeps the system lookup: the operator vouched for whatever it resolves to.
      ...(allowPrivate ? {} : { lookup: createGuardedLookup(url.href) }),
    },
    // Backstops; our own timers fire first and name the limit.
    headersTimeout: limits.connectTimeoutMs + 1000,
    bodyTimeout: limits.timeoutMs + 1000,
    maxHeaderSize: MAX_HEADER_BYTES,
    // Raw (compressed) bytes; body.ts limits the decompressed size.
    maxResponseSize: limits.maxBytes,
    connections: 1,
    pipelining: 0,
  });
}
