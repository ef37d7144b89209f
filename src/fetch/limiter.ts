// Politeness: at most `concurrency` fetches in flight, and at most `perHost` to any one host.
import pLimit, { type LimitFunction } from 'p-limit';

export interface FetchLimiter {
  /** Runs `fn` once both a global slot and a slot for the URL's host are free. */
  run<T>(url: string, fn: () => Promise<T>): Promise<T>;
}

interface HostSlot {
  limit: LimitFunction;
  /** Tasks running or waiting for this host; the slot is dropped at zero so the map stays small. */
  users: number;
}

export function createFetchLimiter(limits: { concurrency: number; perHost: number }): FetchLimiter {
  const global = pLimit(limits.concurrency);
  const hosts = new Map<string, HostSlot>();

  const acquire = (host: string): HostSlot => {
    let slot = hosts.get(host);
    if (!slot) hosts.set(host, (slot = { limit: pLimit(limits.perHost), users: 0 }));
    slot.users++;
    return slot;
  };

  return {
    // The host slot is taken first: a task waiting for its busy host must not sit on a global slot
    // that a task for another host could use.
    async run<T>(url: string, fn: () => Promise<T>): Promise<T> {
      const host = hostKey(url);
      const slot = acquire(host);
      try {
        return await slot.limit(() => global(fn));
      } finally {
        if (--slot.users === 0) hosts.delete(host);
      }
    },
  };
}

/** Hosts compare by name; a string that is not a URL is its own key. */
function hostKey(url: string): string {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return url;
  }
}
