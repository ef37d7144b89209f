// What `fetch --once` did not fetch, and why: a feed another run holds is not an error, but an
// operator reading "Fetched 2 feeds" of 23 must be told where the other 21 went.
import type { Queryable } from '../store/db/db.js';
import { listFeedsExcept, type UnfetchedFeed } from '../store/feeds.js';

type Reason = 'leased' | 'gone' | 'disabled' | 'unclaimed';

function reasonOf(feed: UnfetchedFeed, now: Date): Reason {
  if (feed.state === 'gone') return 'gone';
  if (feed.state === 'disabled') return 'disabled';
  if (feed.lockedUntil && feed.lockedUntil > now) return 'leased';
  return 'unclaimed';
}

const hhmm = (t: Date): string => `${t.toISOString().slice(11, 16)} UTC`;

function phrase(reason: Reason, feeds: UnfetchedFeed[]): string {
  const n = feeds.length;
  switch (reason) {
    case 'leased': {
      const until = new Date(Math.max(...feeds.map((f) => f.lockedUntil!.getTime())));
      const holders = [...new Set(feeds.map((f) => f.lockedBy))].length;
      return `${n} leased by another run (${holders === 1 ? 'a worker is' : `${holders} workers are`} fetching them; the leases end by ${hhmm(until)})`;
    }
    case 'gone':
      return `${n} gone (the server answered 410; not polled any more)`;
    case 'disabled':
      return `${n} disabled`;
    case 'unclaimed':
      return `${n} added or freed while this pass ran`;
  }
}

/** "Skipped 21 feeds: 21 leased by another run (…)." or null when every feed was fetched. */
export async function describeSkipped(q: Queryable, fetchedIds: readonly number[], now: Date): Promise<string | null> {
  const rest = await listFeedsExcept(q, fetchedIds);
  if (rest.length === 0) return null;
  const byReason = new Map<Reason, UnfetchedFeed[]>();
  for (const feed of rest) {
    const reason = reasonOf(feed, now);
    byReason.set(reason, [...(byReason.get(reason) ?? []), feed]);
  }
  const parts = [...byReason].map(([reason, feeds]) => phrase(reason, feeds));
  return `Skipped ${rest.length} feed${rest.length === 1 ? '' : 's'}: ${parts.join(', ')}.`;
}
