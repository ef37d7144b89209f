// Admin endpoints: add or remove a feed, import OPML, trigger a fetch. Off unless ADMIN_TOKEN is
// set; the token is checked in constant time, and failed attempts are rate-limited per address. A
// valid token is never limited: behind a proxy every client shares one address, and 30 wrong
// guesses by anyone must not lock the operator out.
import { createHash, timingSafeEqual } from 'node:crypto';
import express, { Router, type RequestHandler } from 'express';
import { MAX_OPML_CHARS } from '../sources/opml.js';
import { feedReportJson } from './api/json.js';
import { HttpError } from './errors.js';
import { parseId, parseQuery } from './params.js';
import { createRateLimiter } from './rate-limit.js';
import { AddFeedBody } from './api/schemas.js';
import type { AdminActions, ServerContext } from './types.js';

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

/** Compares equal-length digests, so the time taken says nothing about the token. */
export function isTokenValid(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

function guard(ctx: ServerContext, limitPerMinute: number): RequestHandler {
  const limiter = createRateLimiter(limitPerMinute, 60_000, ctx.now);
  return (req, res, next) => {
    res.set('Cache-Control', 'no-store');
    const token = ctx.config.adminToken;
    if (!token) throw new HttpError(404, 'not_found', 'the admin API is off: set ADMIN_TOKEN to enable it');
    const m = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(req.get('authorization') ?? '');
    if (m && isTokenValid(m[1]!, token)) return next();
    const wait = limiter.take(req.socket.remoteAddress ?? 'unknown');
    if (wait !== null)
      throw new HttpError(429, 'rate_limited', `too many failed admin requests: retry in ${wait} s`, {
        'Retry-After': String(wait),
      });
    throw new HttpError(401, 'unauthorized', 'admin: missing or wrong bearer token', {
      'WWW-Authenticate': 'Bearer realm="storyline-admin"',
    });
  };
}

function actions(ctx: ServerContext): AdminActions {
  if (!ctx.admin) throw new HttpError(503, 'unavailable', 'admin: this process does not run admin actions');
  return ctx.admin;
}

const OPML_TYPES = ['text/x-opml', 'application/xml', 'text/xml', 'text/plain', 'application/octet-stream'];

/** POST /api/admin/feeds, DELETE /api/admin/feeds/:id, POST /api/admin/opml, POST /api/admin/fetch */
export function adminRoutes(ctx: ServerContext, limitPerMinute: number): Router {
  const router = Router();
  router.use('/api/admin', guard(ctx, limitPerMinute));
  router.post('/api/admin/feeds', express.json({ limit: '16kb' }), async (req, res) => {
    const input = parseQuery(AddFeedBody, (req.body ?? {}) as Record<string, unknown>);
    const report = await actions(ctx).addFeed(input);
    ctx.cache.invalidate();
    res.status(201).json(feedReportJson(report));
  });
  router.delete('/api/admin/feeds/:id', async (req, res) => {
    const id = parseId(String(req.params.id), 'feed id');
    if (!(await actions(ctx).removeFeed(id))) throw new HttpError(404, 'not_found', `feed ${id} not found`);
    ctx.cache.invalidate();
    res.status(204).end();
  });
  router.post('/api/admin/opml', express.text({ type: OPML_TYPES, limit: MAX_OPML_CHARS }), async (req, res) => {
    if (typeof req.body !== 'string' || req.body.trim() === '')
      throw new HttpError(
        415,
        'unsupported_media_type',
        `admin: send the OPML document as the body, typed ${OPML_TYPES.slice(0, 3).join(', ')}`,
      );
    const result = await actions(ctx).importOpml(req.body);
    ctx.cache.invalidate();
    res.json(result);
  });
  router.post('/api/admin/fetch', async (_req, res) => {
    res.status(202).json(await actions(ctx).triggerFetch());
  });
  return router;
}
