// A small in-memory limiter: at most `limit` requests per client address per window.
export interface RateLimiter {
  /** Seconds to wait when over the limit, else null (and the request is counted). */
  take(client: string): number | null;
}

/** Addresses tracked at once; beyond it the oldest windows are forgotten. */
const MAX_CLIENTS = 10_000;

export function createRateLimiter(limit: number, windowMs: number, now: () => Date): RateLimiter {
  const windows = new Map<string, { start: number; count: number }>();
  return {
    take(client) {
      const t = now().getTime();
      let w = windows.get(client);
      if (!w || t - w.start >= windowMs) {
        windows.delete(client);
        if (windows.size >= MAX_CLIENTS) windows.delete(windows.keys().next().value as string);
        w = { start: t, count: 0 };
        windows.set(client, w);
      }
      if (w.count >= limit) return Math.max(1, Math.ceil((w.start + windowMs - t) / 1000));
      w.count += 1;
      return null;
    },
  };
}
