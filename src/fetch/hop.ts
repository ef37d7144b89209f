// One HTTP request (one redirect hop). Without a connection pool the hop gets its own undici Agent,
// destroyed when the hop ends, so no socket outlives a fetch; a worker pass passes a pool instead, so
// feeds on one host share connections, and closes it when the pass ends. Either way the agent
// carries the address guard in its DNS lookup.
import type { Readable } from 'node:stream';
import { Agent, request, type Dispatcher } from 'undici';
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
  /** Connections shared with other fetches (a worker pass); without it each hop connects anew. */
  pool?: ConnectionPool;
}

/** Agents shared by the fetches of one worker pass; close() ends every connection they hold. */
export interface ConnectionPool {
  dispatcher(allowPrivate: boolean): Dispatcher;
  close(): Promise<void>;
}

export function createConnectionPool(
  limits: Omit<HopLimits, 'pool' | 'allowPrivateHosts'>,
  connectionsPerOrigin: number,
): ConnectionPool {
  const guarded = createAgent(limits, { guard: null, connections: connectionsPerOrigin, keepAlive: true });
  // Only URLs whose host:port the operator allowed are sent through this one (see withHop).
  const allowed = createAgent(limits, { guard: 'allowed', connections: connectionsPerOrigin, keepAlive: true });
  return {
    dispatcher: (allowPrivate) => (allowPrivate ? allowed : guarded),
    close: async () => {
      await Promise.all([guarded.destroy(), allowed.destroy()]).catch(() => undefined);
    },
  };
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
  /** Aborts the signal, naming why. */
  abort(reason: string): void;
}

/**
 * An AbortSignal that fires after `ms`, remembering `reason`; `clear` stops the timer. A watch started
 * within a parent shares the parent's signal (one controller per fetch, not one per hop and limit):
 * either timer aborts the fetch, and each remembers whether it was the one that fired.
 */
export function startWatch(ms: number, reason: string, parent?: Watch): Watch & { clear(): void } {
  const controller = parent ? null : new AbortController();
  const watch: Watch & { clear(): void } = {
    signal: parent ? parent.signal : controller!.signal,
    timedOut: null,
    abort: parent ? (why) => parent.abort(why) : (why) => controller!.abort(new Error(why)),
    clear: () => clearTimeout(timer),
  };
  const timer = setTimeout(() => {
    watch.timedOut = reason;
    watch.abort(reason);
  }, ms);
  return watch;
}

/**
 * Sends a GET to `url` and hands the response to `use`; the body and the connection are destroyed
 * when `use` settles. Response headers must arrive within connectTimeoutMs (connecting included).
 */
export async function withHop<T>(
  url: URL,
  headers: Record<string, string>,
  limits: HopLimits,
  total: Watch,
  use: (response: HopResponse) => Promise<T>,
): Promise<T> {
  const allowPrivate = isAllowedPrivateHost(url, limits.allowPrivateHosts);
  if (!allowPrivate) assertPublicLiteralHost(url);
  const own = limits.pool
    ? null
    : createAgent(limits, { guard: allowPrivate ? 'allowed' : url.href, connections: 1, keepAlive: false });
  const agent = own ?? limits.pool!.dispatcher(allowPrivate);
  const hop = startWatch(limits.connectTimeoutMs, `no response headers within ${limits.connectTimeoutMs} ms`, total);
  let body: Readable | null = null;
  let status = 0;
  try {
    const response = await request(withoutCredentials(url), {
      dispatcher: agent,
      method: 'GET',
      headers,
      signal: hop.signal,
    });
    hop.clear();
    body = response.body;
    status = response.statusCode;
    return await use({ status: response.statusCode, headers: response.headers, body });
  } catch (err) {
    const timedOut = hop.timedOut ?? total.timedOut;
    if (timedOut !== null && !(err instanceof FetchError))
      throw new FetchError('timeout', `${timedOut} (${url.href})`, { url: url.href }, { cause: err });
    throw err;
  } finally {
    hop.clear();
    if (body) release(body, status);
    if (own) await own.destroy().catch(() => undefined);
  }
}

/**
 * Lets go of a response body. A 304 or 204 has none: reading its end lets the connection be reused.
 * Anything else left unread is destroyed, and its connection with it (undici reports that as an
 * 'error' nobody needs to hear).
 */
function release(body: Readable, status: number): void {
  if (body.destroyed || body.readableEnded) return;
  body.on('error', () => undefined);
  if (status === 304 || status === 204) body.resume();
  else body.destroy();
}

/** Credentials travel in the Authorization header (see http.ts), never in the request target. */
function withoutCredentials(url: URL): URL {
  if (!url.username && !url.password) return url;
  const bare = new URL(url.href);
  bare.username = '';
  bare.password = '';
  return bare;
}

/**
 * `guard` 'allowed': an allowed host:port keeps the system lookup (the operator vouched for whatever it
 * resolves to); otherwise the guarded lookup, naming the URL in its error when the agent serves one.
 */
function createAgent(
  limits: Omit<HopLimits, 'pool' | 'allowPrivateHosts'>,
  { guard, connections, keepAlive }: { guard: 'allowed' | string | null; connections: number; keepAlive: boolean },
): Agent {
  return new Agent({
    connect: {
      timeout: limits.connectTimeoutMs,
      ...(guard === 'allowed' ? {} : { lookup: createGuardedLookup(guard) }),
    },
    // Backstops; our own timers fire first and name the limit.
    headersTimeout: limits.connectTimeoutMs + 1000,
    bodyTimeout: limits.timeoutMs + 1000,
    maxHeaderSize: MAX_HEADER_BYTES,
    // Raw (compressed) bytes; body.ts limits the decompressed size.
    maxResponseSize: limits.maxBytes,
    connections,
    // 1: one request at a time per connection, kept alive for the next; 0: closed after its request.
    pipelining: keepAlive ? 1 : 0,
  });
}
