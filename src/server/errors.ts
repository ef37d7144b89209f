// The one error middleware: every failure becomes {error: {code, message}} (or an HTML page for the
// browser routes) with a status chosen here, from the kinds in src/errors.ts.
import type { ErrorRequestHandler, Request, Response } from 'express';
import {
  FetchError,
  InvalidInputError,
  NotFoundError,
  ParseError,
  QueryTimeoutError,
  describeError,
} from '../errors.js';
import type { Logger } from '../log.js';
import type { ErrorBodyJson } from './api/schemas.js';
import { renderErrorPage } from './pages/error-page.js';

/** An HTTP-level refusal (401, 403, 413, 429, 503…) with its own code. */
export class HttpError extends Error {
  override name = 'HttpError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** The one JSON error shape, as the API's schema publishes it. */
export type ErrorBody = ErrorBodyJson;

interface Mapped {
  status: number;
  body: ErrorBody;
  headers: Record<string, string>;
}

// Errors from body-parser and the router carry `status` and `type`, not our kinds.
function statusOf(err: unknown): { status: number; type: string } | null {
  if (typeof err !== 'object' || err === null) return null;
  const e = err as { status?: unknown; type?: unknown };
  return typeof e.status === 'number' ? { status: e.status, type: typeof e.type === 'string' ? e.type : '' } : null;
}

/** The error body for a code and message (and the parameter, for an invalid one). */
export function errorBody(code: string, message: string, parameter?: string | null): ErrorBody {
  return { error: { code, message, ...(parameter ? { parameter } : {}) } };
}

/** Maps anything thrown to a status and the one JSON error shape. */
export function mapError(err: unknown): Mapped {
  if (err instanceof HttpError)
    return { status: err.status, body: errorBody(err.code, err.message), headers: err.headers };
  if (err instanceof InvalidInputError)
    return { status: 400, body: errorBody('invalid_parameter', err.message, err.parameter), headers: {} };
  if (err instanceof NotFoundError) return { status: 404, body: errorBody('not_found', err.message), headers: {} };
  if (err instanceof QueryTimeoutError)
    return {
      status: 503,
      body: errorBody('busy', 'the database is slow to answer; retry shortly'),
      headers: { 'Retry-After': '5' },
    };
  if (err instanceof FetchError || err instanceof ParseError)
    return { status: 422, body: errorBody('feed_unusable', err.message), headers: {} };
  const http = statusOf(err);
  if (http && http.status >= 400 && http.status < 500) {
    if (http.type === 'entity.too.large')
      return { status: 413, body: errorBody('payload_too_large', 'request body is too large'), headers: {} };
    if (http.type === 'entity.parse.failed')
      return { status: 400, body: errorBody('bad_request', 'request body is not valid JSON'), headers: {} };
    if (http.type === 'encoding.unsupported' || http.type === 'charset.unsupported')
      return { status: 415, body: errorBody('unsupported_media_type', describeError(err)), headers: {} };
    // The router fails to decode a bad percent-escape in the path with a 400.
    return {
      status: 400,
      body: errorBody('bad_request', `request could not be read: ${describeError(err)}`),
      headers: {},
    };
  }
  return { status: 500, body: errorBody('internal', 'internal error'), headers: {} };
}

/** Browser pages answer with HTML; everything else with JSON. */
const wantsHtml = (req: Request, res: Response): boolean =>
  res.locals.html === true ||
  (req.method === 'GET' && req.accepts(['json', 'html']) === 'html' && !req.path.startsWith('/api/'));

export function sendError(req: Request, res: Response, mapped: Mapped): void {
  res.status(mapped.status).set(mapped.headers).set('Cache-Control', 'no-store');
  if (wantsHtml(req, res)) res.type('html').send(renderErrorPage(mapped.status, mapped.body.error.message));
  else res.json(mapped.body);
}

export function errorMiddleware(logger: Logger): ErrorRequestHandler {
  return (err, req, res, next) => {
    if (res.headersSent) return next(err);
    const mapped = mapError(err);
    if (mapped.status >= 500) logger.error({ err, path: req.path, method: req.method }, 'server: request failed');
    sendError(req, res, mapped);
  };
}
