// The bound on uncached work: a response not in the cache is rendered only when a render slot is
// free (RENDER_CONCURRENCY), after at most RENDER_QUEUE others waiting, and within its client's
// allowance (RENDER_RATE_LIMIT per minute). Beyond those the request is refused at once, 503 or 429
// with Retry-After, so a flood of distinct URLs costs the service a bounded amount of work and
// cached answers, /healthz and the other clients keep being served.
import { HttpError } from './errors.js';

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
  /** The refusal admit would give this client now, without counting anything; null when it would admit. */
  refusal(client: string): HttpError | null;
  readonly stats: { running: number; waiting: number; refused: number };
}

/** Seconds a refused client is told to wait: a render slot frees within a second or two. */
const BUSY_RETRY_SECONDS = 2;

/** Clients whose minute is tracked at once; beyond it the oldest are forgotten. */
const MAX_CLIENTS = 10_000;

/** Renders counted per client in fixed one-minute windows; `wait` looks without counting. */
function createAllowance(
  perMinute: number,
  now: () => Date,
): { wait(client: string): number | null; count(client: string): void } {
  const windows = new Map<string, { start: number; count: number }>();
  const current = (client: string): { start: number; count: number } | undefined => {
    const w = windows.get(client);
    return w && now().getTime() - w.start < 60_000 ? w : undefined;
  };
  return {
    wait(client) {
      const w = current(client);
      if (perMinute <= 0 || !w || w.count < perMinute) return null;
      return Math.max(1, Math.ceil((w.start + 60_000 - now().getTime()) / 1000));
    },
    count(client) {
      if (perMinute <= 0) return;
      let w = current(client);
      if (!w) {
        windows.delete(client);
        if (windows.size >= MAX_CLIENTS) windows.delete(windows.keys().next().value as string);
        w = { start: now().getTime(), count: 0 };
        windows.set(client, w);
      }
      w.count += 1;
    },
  };
}

const busy = (): HttpError =>
  new HttpError(503, 'busy', `server: too many uncached requests at once; retry in ${BUSY_RETRY_SECONDS} s`, {
    'Retry-After': String(BUSY_RETRY_SECONDS),
  });
const limited = (wait: number): HttpError =>
  new HttpError(429, 'rate_limited', `server: too many uncached requests from this client; retry in ${wait} s`, {
    'Retry-After': String(wait),
  });

export function createRenderGate(options: RenderGateOptions): RenderGate {
  const allowance = createAllowance(options.perMinute, options.now);
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
    return new Promise((resolve) => {
      waiting.push(resolve);
      stats.waiting = waiting.length;
    });
  };
  const refusal = (client: string): HttpError | null => {
    const wait = allowance.wait(client);
    if (wait !== null) return limited(wait);
    return stats.running >= options.concurrency && waiting.length >= options.queue ? busy() : null;
  };

  return {
    async admit(client, work) {
      const refused = refusal(client);
      if (refused) {
        stats.refused += 1;
        throw refused;
      }
      allowance.count(client);
      await acquire();
      try {
        return await work();
      } finally {
        release();
      }
    },
    refusal,
    stats,
  };
}
