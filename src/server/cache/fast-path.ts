// Cached answers sent before Express sees the request. Express's own per-request work (request and
// response set-up, the router walk) costs more than sending a cached feed; a hit needs none of it.
// A hit sends exactly what the routed path would: the same headers, validators and encodings. A
// request the render gate would refuse is refused here too, before Express costs anything.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorBody } from '../errors.js';
import { send, type VersionWatch } from './respond.js';
import type { ServerContext } from '../types.js';

/** Headers every answer carries (also set by middleware on the routed path). */
export interface CommonHeaders {
  security: Record<string, string>;
  cors: Record<string, string>;
}

/** How long an early refusal waits before it is sent. */
export const REFUSAL_PAUSE_MS = 200;

// Health, readiness, metrics and admin requests are never rendered through the cache.
const UNGATED = /^\/(?:healthz|readyz|metrics)(?:[?#]|$)|^\/api\/admin(?:[/?#]|$)/;

/**
 * A request the render gate would refuse, answered before routing: under a flood of uncached
 * requests the refusals are most of the traffic, and each must cost next to nothing.
 */
function refuseEarly(ctx: ServerContext, req: IncomingMessage, res: ServerResponse, headers: CommonHeaders): boolean {
  if (UNGATED.test(req.url ?? '/')) return false;
  const refused = ctx.renders.refusal(req.socket.remoteAddress ?? 'unknown');
  if (!refused) return false;
  const body = JSON.stringify(errorBody(refused.code, refused.message));
  ctx.metrics.httpRequests.inc({ route: 'refused', method: req.method, status: refused.status });
  // Answered after a pause: a client that sends its next request as soon as one is answered would
  // otherwise turn cheap refusals into thousands a second, and keep this thread from everyone else.
  setTimeout(() => {
    if (res.destroyed) return;
    res.writeHead(refused.status, {
      ...headers.security,
      ...headers.cors,
      ...refused.headers,
      'Cache-Control': 'no-store',
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': Buffer.byteLength(body),
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  }, REFUSAL_PAUSE_MS);
  return true;
}

/** Sends a fresh cached answer (or an early refusal) and returns true, or returns false for Express to route the request. */
export function createFastPath(
  ctx: ServerContext,
  watch: VersionWatch,
  headers: CommonHeaders,
): (req: IncomingMessage, res: ServerResponse) => boolean {
  return (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const found = ctx.cache.find(ctx.baseUrl(req) + (req.url ?? '/'));
    if (!found) return refuseEarly(ctx, req, res, headers);
    // A due version check is awaited on the routed path, which then answers from the cache itself.
    if (!watch.isFresh(found.scope)) return false;
    const start = process.hrtime.bigint();
    for (const [name, value] of Object.entries(headers.security)) res.setHeader(name, value);
    for (const [name, value] of Object.entries(headers.cors)) res.setHeader(name, value);
    send(ctx, req, res, found.entry, true);
    const labels = { route: found.entry.route, method: req.method };
    ctx.metrics.httpRequests.inc({ ...labels, status: res.statusCode });
    ctx.metrics.httpDuration.observe(labels, Number(process.hrtime.bigint() - start) / 1e9);
    return true;
  };
}
