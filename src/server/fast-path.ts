// Cached answers sent before Express sees the request. Express's own per-request work (request and
// response set-up, the router walk) costs more than sending a cached feed; a hit needs none of it.
// A hit sends exactly what the routed path would: the same headers, validators and encodings.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { send, type VersionWatch } from './respond.js';
import type { ServerContext } from './types.js';

/** Headers every answer carries (also set by middleware on the routed path). */
export interface CommonHeaders {
  security: Record<string, string>;
  cors: Record<string, string>;
}

/** Sends a fresh cached answer and returns true, or returns false for Express to route the request. */
export function createFastPath(ctx: ServerContext, watch: VersionWatch, headers: CommonHeaders): (req: IncomingMessage, res: ServerResponse) => boolean {
  return (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const found = ctx.cache.find(ctx.baseUrl(req) + (req.url ?? '/'));
    // A due version check is awaited on the routed path, which then answers from the cache itself.
    if (!found || !watch.isFresh(found.scope)) return false;
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
