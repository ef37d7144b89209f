// Maps whatever undici, net, tls or zlib threw to one FetchError that says what went wrong and where.
import { FetchError, type FetchErrorKind } from '../errors.js';
import { formatBytes } from './body.js';

/** What the request loop knows when something fails. */
export interface FailureContext {
  url: string;
  /** Set when our own total or headers timer fired: that is the real cause, whatever undici reports. */
  timedOut: string | null;
  maxHeaderBytes: number;
  maxBytes: number;
}

/** undici / Node error codes → kind and a plain description. */
const BY_CODE: Record<string, [FetchErrorKind, string]> = {
  UND_ERR_CONNECT_TIMEOUT: ['timeout', 'connection timed out'],
  UND_ERR_HEADERS_TIMEOUT: ['timeout', 'no response headers in time'],
  UND_ERR_BODY_TIMEOUT: ['timeout', 'body stalled'],
  UND_ERR_SOCKET: ['network', 'connection closed before the response was complete'],
  UND_ERR_RES_CONTENT_LENGTH_MISMATCH: ['network', 'body shorter than its Content-Length'],
  ECONNREFUSED: ['network', 'connection refused'],
  ECONNRESET: ['network', 'connection reset by the server'],
  EPIPE: ['network', 'connection reset by the server'],
  ENOTFOUND: ['network', 'host not found'],
  EAI_AGAIN: ['network', 'DNS lookup failed (temporary)'],
  EAI_NODATA: ['network', 'host has no address'],
  EHOSTUNREACH: ['network', 'host unreachable'],
  ENETUNREACH: ['network', 'network unreachable'],
  ETIMEDOUT: ['timeout', 'connection timed out'],
};

/** The FetchError for any thrown value. */
export function toFetchError(err: unknown, context: FailureContext): FetchError {
  const chain = causeChain(err);
  const own = chain.find((e): e is FetchError => e instanceof FetchError);
  if (own) return own;
  const details = { url: context.url };
  if (context.timedOut !== null)
    return new FetchError('timeout', `${context.timedOut} (${context.url})`, details, { cause: err });
  const [kind, reason] = classify(chain, context);
  return new FetchError(kind, `${reason} (${context.url})`, details, { cause: err });
}

function classify(chain: Error[], context: FailureContext): [FetchErrorKind, string] {
  for (const e of chain) {
    const code = String((e as NodeJS.ErrnoException).code ?? '');
    const known = BY_CODE[code];
    if (known) return known;
    if (code === 'UND_ERR_HEADERS_OVERFLOW')
      return ['too-large', `response headers exceed the ${formatBytes(context.maxHeaderBytes)} limit`];
    if (code === 'UND_ERR_RES_EXCEEDED_MAX_SIZE')
      return ['too-large', `body exceeds the ${formatBytes(context.maxBytes)} limit`];
    if (code.startsWith('HPE_') || e.name === 'HTTPParserError')
      return ['network', `response is not valid HTTP (${e.message})`];
    if (code.startsWith('Z_') || code.startsWith('ERR__ERROR_') || code.startsWith('ERR_BROTLI'))
      return ['decode', `body does not decompress (${e.message})`];
    if (/CERT|SSL|TLS/.test(code)) return ['network', `TLS failed: ${e.message}`];
  }
  return ['network', chain[0]?.message || 'request failed'];
}

/** The error and its causes, outermost first (undici and AbortSignal wrap the real reason). */
function causeChain(err: unknown): Error[] {
  const chain: Error[] = [];
  let current: unknown = err;
  while (current instanceof Error && chain.length < 8) {
    chain.push(current);
    current = current.cause;
  }
  return chain;
}
