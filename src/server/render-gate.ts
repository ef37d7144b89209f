// The bound on uncached work: a response not in the cache is rendered only when a render slot is
// free (RENDER_CONCURRENCY), after at most RENDER_QUEUE others waiting, and within its client's
// allowance (RENDER_RATE_LIMIT per minute). Beyond those the request is refused at once, 503 or 429
// with Retry-After, so a flood of distinct URLs costs the service a bounded amount of work and
// cached answers, /healthz and the other clients keep being served.
import { HttpError } from './errors.js';
import { createRateLimiter } from './rate-limit.js';

export interface RenderGateOptions {
  concurrency: number;
  queue: number;
  /** Renders per client per minute; 0: unlimited. */
  perMinute: number;
  now: () => Date;
}

export interface RenderGate {
  /** Runs `work` when a slot is free; throws a 429 or 503 HttpError instead when over a limit. */
  admit<T>(client: string, work: () => Promise<T>): Promise<T>;
  readonly stats: { running: number; waiting: number; refused: number };
}

/** Seconds a refused client is told to wait: a render slot frees within a second or two. */
const BUSY_RETRY_SECONDS = 2;

export function createRenderGate(options: RenderGateOptions): RenderGate {
  const limiter = options.perMinute > 0 ? createRateLimiter(options.perMinute, 60_000, options.now) : null;
  const waiting: Array<() => void> = [];
  const stats = { running: 0, waiting: 0, refused: 0 };

  const release = (): void => {
    const next = waiting.shift();
    stats.waiting = waiting.length;
    if (next) next();
    else stats.running -= 1;
  };
  // A slot is handed over directly to the next in line, so the running count never overshoots.
  const acquire = (): Promise<void> => {
    if (stats.running < options.concurrency) {
      stats.running += 1;
      return Promise.resolve();
    }
    if (waiting.length >= options.queue) {
      stats.refused += 1;
      throw new HttpError(503, 'busy', `server: too many uncached requests at once; retry in ${BUSY_RETRY_SECONDS} s`, { 'Retry-After': String(BUSY_RETRY_SECONDS) });
    }
    return new Promise((resolve) => {
      waiting.push(resolve);
      stats.waiting = waiting.length;
    });
  };

  return {
    async admit(client, work) {
      const wait = limiter?.take(client) ?? null;
      if (wait !== null) {
        stats.refused += 1;
        throw new HttpError(429, 'rate_limited', `server: too many uncached requests from this client; retry in ${wait} s`, { 'Retry-After': String(wait) });
      }
      await acquire();
      try {
        return await work();
      } finally {
        release();
      }
    },
    stats,
  };
}
