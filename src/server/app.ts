// The HTTP app: middleware and the route areas wired together. It never listens by itself.
import type { IncomingMessage, ServerResponse } from 'node:http';
import express, { type RequestHandler } from 'express';
import { publicBaseUrl } from '../config.js';
import { InvalidInputError, NotFoundError } from '../errors.js';
import type { Metrics } from '../metrics.js';
import { adminRoutes } from './admin-routes.js';
import { apiRoutes } from './api/routes.js';
import { createResponseCache } from './cache/response-cache.js';
import { errorMiddleware } from './errors.js';
import { createFastPath, type CommonHeaders } from './cache/fast-path.js';
import { feedsRoutes } from './feeds/routes.js';
import { healthRoutes } from './health-routes.js';
import { CONTENT_SECURITY_POLICY } from './pages/style.js';
import { pagesRoutes } from './pages/routes.js';
import { createRenderGate } from './render-gate.js';
import { createVersionWatch } from './cache/respond.js';
import type { AppDeps, ServerContext } from './types.js';

export type { AdminActions, AppDeps } from './types.js';
export { createResponseCache, type ResponseCache } from './cache/response-cache.js';

/** Counts every request by its route pattern (not its URL: ids would explode the series). */
function httpMetrics(metrics: Metrics): RequestHandler {
  return (req, res, next) => {
    const start = process.hrtime.bigint();
    res.on('finish', () => {
      const route = (req.route as { path?: string } | undefined)?.path ?? 'unmatched';
      const method = req.method;
      metrics.httpRequests.inc({ route, method, status: res.statusCode });
      metrics.httpDuration.observe({ route, method }, Number(process.hrtime.bigint() - start) / 1e9);
    });
    next();
  };
}

const HEADERS: CommonHeaders = {
  security: {
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'strict-origin-when-cross-origin',
    'X-Frame-Options': 'DENY',
  },
  cors: { 'Access-Control-Allow-Origin': '*', 'Access-Control-Expose-Headers': 'ETag, Last-Modified, Location' },
};

const securityHeaders: RequestHandler = (_req, res, next) => {
  res.set(HEADERS.security);
  next();
};

/** Reads are open to any origin; the admin API is not (no CORS headers, so browsers refuse it). */
const cors: RequestHandler = (req, res, next) => {
  if (req.path.startsWith('/api/admin')) return next();
  res.set(HEADERS.cors);
  if (req.method !== 'OPTIONS') return next();
  res.set({
    'Access-Control-Allow-Methods': 'GET, HEAD, OPTIONS',
    'Access-Control-Allow-Headers': 'If-None-Match, If-Modified-Since',
    'Access-Control-Max-Age': '86400',
  });
  res.status(204).end();
};

/**
 * A path with a bad percent-escape or invalid UTF-8 is refused before any route sees it, and so is
 * one holding a NUL: no slug or id has one, and Postgres refuses it in text (a 500 per request).
 */
const decodablePath: RequestHandler = (req, _res, next) => {
  let path: string;
  try {
    path = decodeURIComponent(req.path);
  } catch {
    throw new InvalidInputError('path is not valid percent-encoded UTF-8');
  }
  if (path.includes('\u0000')) throw new InvalidInputError('path contains a NUL character (%00)');
  next();
};

// BASE_URL when set, else http://HOST:PORT (the port the connection arrived on when PORT is 0). Never
// the request's Host header: links are the same for every client, and a cache key a client could
// vary at will would let it mint an entry, and a render, per request.
function baseUrlFrom(deps: AppDeps): ServerContext['baseUrl'] {
  const fixed = publicBaseUrl(deps.config);
  if (deps.config.baseUrl || deps.config.port !== 0) return () => fixed;
  return (req) => publicBaseUrl({ ...deps.config, port: req.socket.localPort ?? 0 });
}

/** Lets cached answers skip Express: the app's own entry point is wrapped (it stays an Express app). */
function answerHitsFirst(app: express.Express, fast: (req: IncomingMessage, res: ServerResponse) => boolean): void {
  const routed = app as unknown as { handle(req: IncomingMessage, res: ServerResponse, next?: unknown): void };
  const handle = routed.handle.bind(app);
  routed.handle = (req, res, next) => {
    if (!fast(req, res)) handle(req, res, next);
  };
}

export function createApp(deps: AppDeps): express.Express {
  const cache = deps.cache ?? createResponseCache();
  const now = deps.now ?? (() => new Date());
  const ctx: ServerContext = {
    db: deps.db,
    config: deps.config,
    metrics: deps.metrics,
    logger: deps.logger,
    admin: deps.admin ?? null,
    now,
    cache,
    baseUrl: baseUrlFrom(deps),
    renders:
      deps.renders ??
      createRenderGate({
        concurrency: deps.config.renderConcurrency,
        queue: deps.config.renderQueue,
        perMinute: deps.config.renderRateLimit,
        now,
      }),
    idAuthority: new URL(publicBaseUrl(deps.config)).hostname,
  };
  const watch = createVersionWatch(
    ctx,
    deps.dataVersionInterval ?? (deps.db.kind === 'pglite' ? 0 : 1000),
    deps.dataVersionWait,
  );
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', false);
  app.use(httpMetrics(deps.metrics), securityHeaders, cors, decodablePath);
  app.use(healthRoutes(ctx));
  app.use(adminRoutes(ctx, deps.adminRateLimit ?? 30));
  // The feeds first: they are the most requested, and each router is tried in turn.
  app.use(feedsRoutes(ctx, watch), pagesRoutes(ctx, watch), apiRoutes(ctx, watch));
  app.use((req) => {
    throw new NotFoundError(`no such path: ${req.path}`);
  });
  app.use(errorMiddleware(deps.logger));
  answerHitsFirst(app, createFastPath(ctx, watch, HEADERS));
  return app;
}
