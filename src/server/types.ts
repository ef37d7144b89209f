// What the server needs from the process that starts it, and the admin actions the lead implements.
import type { IncomingMessage } from 'node:http';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import type { Metrics } from '../metrics.js';
import type { FeedReport } from '../model.js';
import type { Db } from '../store/db/db.js';
import type { ResponseCache } from './cache/response-cache.js';
import type { RenderGate } from './render-gate.js';

/** Admin operations behind the bearer token; errors thrown keep their src/errors.ts kinds. */
export interface AdminActions {
  /** Adds a feed (or finds it by discovery from a page URL) and reports it. */
  addFeed(input: { url: string; outlet?: string; section?: string }): Promise<FeedReport>;
  /** False when no feed has that id. */
  removeFeed(id: number): Promise<boolean>;
  importOpml(xml: string): Promise<{ added: number; existing: number }>;
  /** Makes every active feed due now; returns how many. */
  triggerFetch(): Promise<{ queued: number }>;
}

export interface AppDeps {
  db: Db;
  config: Config;
  metrics: Metrics;
  logger: Logger;
  admin?: AdminActions;
  /** Clock for the cache's version checks and the admin rate limit (tests move it). */
  now?: () => Date;
  /** Share one cache with the worker so it can call invalidate() after writing; created if absent. */
  cache?: ResponseCache;
  /** The bound on uncached renders; made from the RENDER_* settings if absent. */
  renders?: RenderGate;
  /** Admin requests allowed per client address per minute (default 30). */
  adminRateLimit?: number;
  /**
   * How often (ms) to look for writes made by other processes; 0: never. Default 1000 on a Postgres
   * server; 0 on PGlite, which only this process can open (its writers call cache.invalidate()), and
   * whose queries run on this thread, so a needless check would stall every request in flight.
   */
  dataVersionInterval?: number;
  /** Longest (ms) a request waits for a due version check before it is answered from the cache (default 50). */
  dataVersionWait?: number;
}

/** What every route module receives. */
export interface ServerContext {
  db: Db;
  config: Config;
  metrics: Metrics;
  logger: Logger;
  admin: AdminActions | null;
  now: () => Date;
  cache: ResponseCache;
  renders: RenderGate;
  /** Public URL without trailing slash, for self links and cache keys: BASE_URL, else HOST and the port. */
  baseUrl(req: IncomingMessage): string;
  /** Host name feed entry ids are minted under: BASE_URL's host, else HOST (never a request's Host). */
  idAuthority: string;
}
