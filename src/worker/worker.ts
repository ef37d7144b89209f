// The worker: on each node-cron tick, claim the due feeds (SKIP LOCKED with a lease, so several
// workers can share one database), refresh them, then group the new items into stories.
import cron from 'node-cron';
import pLimit from 'p-limit';
import { describeError } from '../errors.js';
import { createConnectionPool, type FetchLimiter } from '../fetch/index.js';
import type { Feed } from '../model.js';
import { claimDueFeeds, releaseFeeds } from '../store/feeds.js';
import { createGroupingLane, type GroupingLane } from './grouping-lane.js';
import { RefreshNotStarted, refreshFeed, type RefreshDeps, type RefreshReport } from './refresh.js';

export interface WorkerDeps extends RefreshDeps {
  claimBatch: number;
  /** Feeds refreshed at once (fetch and store). */
  concurrency: number;
  /** Connections kept open to one origin within a pass (the per-host fetch limit). */
  connectionsPerOrigin: number;
  leaseMs: number;
  /**
   * Groups every item still without a story (or, given itemIds, those of them still without one); called
   * with a pass's items while it fetches and for everything pending after it, and safe to call any time.
   */
  assignStories: (now: Date, scope?: AssignScope) => Promise<{ assigned: number } | void>;
  /** Items a pass hands to the story writer at a time while it fetches (ASSIGN_BATCH). */
  assignBatch: number;
  /** Called after a pass, so caches can be dropped: no scope when it stored items, 'feeds' when it only fetched. */
  onDataChanged?: (scope?: 'feeds') => void;
}

export interface AssignScope {
  itemIds?: number[];
  onProgress?: (assigned: number, total: number) => void;
}

export interface PassOptions {
  /** Take every active feed, due or not (`fetch --once`). */
  everyFeed?: boolean;
  onProgress?: (report: RefreshReport, done: number, claimed: number) => void;
  /** After each batch the story writer assigns: items grouped so far in this pass, of those it stored (and any left pending). */
  onGroupingProgress?: (assigned: number, total: number) => void;
  /** Checked between batches: a stopping worker claims nothing more. */
  isStopping?: () => boolean;
}

const FAR_FUTURE = new Date('9999-12-31T00:00:00Z');

/**
 * The limiter, except that a fetch whose turn comes once the worker is stopping is refused instead
 * of started: a claimed batch can be far larger than the fetches in flight, and a stopping worker
 * must finish those, not start the rest (their leases are released on stop).
 */
function stoppableLimiter(limiter: FetchLimiter, isStopping: () => boolean): FetchLimiter {
  return {
    run: (url, fn) => limiter.run(url, () => (isStopping() ? Promise.reject(new RefreshNotStarted(url)) : fn())),
  };
}

/** Refreshes a feed; null when the worker began stopping before its fetch could start. */
async function refreshUnlessStopping(deps: RefreshDeps, feed: Feed): Promise<RefreshReport | null> {
  try {
    return await refreshFeed(deps, feed);
  } catch (err) {
    if (err instanceof RefreshNotStarted) return null;
    throw err;
  }
}

/** One pass: claims and refreshes batches until no claimable feed is left, then assigns stories. */
export async function runPass(deps: WorkerDeps, options: PassOptions = {}): Promise<RefreshReport[]> {
  // Feeds on one host share connections during the pass; none stays open after it.
  const pool = createConnectionPool(deps.fetchOptions, deps.connectionsPerOrigin);
  try {
    return await claimAndRefresh({ ...deps, fetchOptions: { ...deps.fetchOptions, pool } }, options);
  } finally {
    await pool.close();
  }
}

/** The pass's grouping lane: each chunk of stored items assigned while fetching goes on. */
function startGrouping(deps: WorkerDeps, options: PassOptions): GroupingLane {
  const assign = async (itemIds: number[]) =>
    (await deps.assignStories(deps.now(), { itemIds }))?.assigned ?? itemIds.length;
  return createGroupingLane(assign, {
    chunk: deps.assignBatch,
    ...(options.onGroupingProgress ? { onProgress: options.onGroupingProgress } : {}),
  });
}

/** The lane's last chunk, then whatever else is pending (stored by a pass that stopped early, or another process's). */
async function finishGrouping(deps: WorkerDeps, lane: GroupingLane, options: PassOptions): Promise<void> {
  const pass = await lane.finish();
  const onProgress = options.onGroupingProgress;
  await deps.assignStories(
    deps.now(),
    onProgress ? { onProgress: (assigned, total) => onProgress(pass.assigned + assigned, pass.stored + total) } : {},
  );
}

async function claimAndRefresh(deps: WorkerDeps, options: PassOptions): Promise<RefreshReport[]> {
  const lane = startGrouping(deps, options);
  const refreshDeps = {
    ...deps,
    ...(options.isStopping ? { limiter: stoppableLimiter(deps.limiter, options.isStopping) } : {}),
    onItemsStored: lane.add,
  };
  const reports: RefreshReport[] = [];
  const done: number[] = [];
  const inFlight = pLimit(deps.concurrency);
  while (!options.isStopping?.()) {
    const now = deps.now();
    const batch: Feed[] = await claimDueFeeds(deps.db, {
      now,
      dueBy: options.everyFeed ? FAR_FUTURE : now,
      limit: deps.claimBatch,
      leaseMs: deps.leaseMs,
      workerId: deps.workerId,
      excludeIds: done,
    });
    if (batch.length === 0) break;
    const claimed = done.length + batch.length;
    // Bounded as a whole (fetch and store), so a large batch never queues more transactions than
    // the database pool can serve; the limiter inside still bounds fetches per host.
    const settled = await Promise.allSettled(
      batch.map((feed) =>
        inFlight(async () => {
          const report = await refreshUnlessStopping(refreshDeps, feed);
          if (report === null) return;
          reports.push(report);
          done.push(feed.id);
          options.onProgress?.(report, reports.length, claimed);
        }),
      ),
    );
    // A refresh only fails when the database does: report it once every refresh has settled.
    const failed = settled.find((r) => r.status === 'rejected');
    if (failed) {
      await lane.finish().catch(() => undefined);
      throw failed.reason;
    }
  }
  await finishGrouping(deps, lane, options);
  if (reports.some((r) => r.itemsNew + r.itemsUpdated > 0)) deps.onDataChanged?.();
  // Feeds' health (last fetch, errors) moved even when no item did: /feeds and /api/feeds show it.
  else if (reports.length > 0) deps.onDataChanged?.('feeds');
  return reports;
}

export interface RunningWorker {
  /** Runs a pass now, unless one is running (then waits for it). */
  runNow(): Promise<void>;
  /** Stops ticking, waits for the pass in flight (up to graceMs), then releases this worker's leases. */
  stop(graceMs?: number): Promise<void>;
}

/** Starts the node-cron schedule; a tick never overlaps the previous one. */
export function startWorker(deps: WorkerDeps, schedule: string): RunningWorker {
  let stopping = false;
  let inFlight: Promise<void> | null = null;
  const tick = (): Promise<void> => {
    if (inFlight) return inFlight;
    inFlight = runPass(deps, { isStopping: () => stopping })
      .then(() => undefined)
      .catch((err: unknown) => {
        // The database being away is the usual cause: report it and try again next tick.
        deps.logger.error({ worker: deps.workerId, reason: describeError(err) }, 'worker pass failed');
      })
      .finally(() => {
        inFlight = null;
      });
    return inFlight;
  };
  const task = cron.schedule(schedule, () => tick(), { noOverlap: true, name: `storyline-${deps.workerId}` });
  void tick();
  return {
    runNow: tick,
    stop: async (graceMs = 30_000) => {
      stopping = true;
      await task.stop();
      await task.destroy();
      if (inFlight) await Promise.race([inFlight, new Promise((r) => setTimeout(r, graceMs).unref())]);
      await releaseFeeds(deps.db, deps.workerId).catch(() => undefined);
    },
  };
}
