// What a worker needs from the process that runs it (WorkerDeps), built from the configuration: the
// fetch options and limits, the poll policy, the story writer, and the metrics its passes report.
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import pLimit from 'p-limit';
import type { Config } from '../config.js';
import { createFetchLimiter, fetchOptionsFromConfig } from '../fetch/index.js';
import type { Logger } from '../log.js';
import type { Metrics } from '../metrics.js';
import type { Db } from '../store/db/db.js';
import { recordQuietFetches, type QuietFetch } from '../store/feeds.js';
import { assignPendingStories } from './stories/assign.js';
import { createWriteBatch } from '../store/write-batch.js';
import { createDocumentReader } from './document.js';
import { collectGarbage } from './memory.js';
import type { WorkerDeps } from './worker.js';

export interface WorkerHooks {
  metrics?: Metrics;
  /** A pass stored items (no scope: every cache), or only fetched feeds ('feeds': their health changed). */
  onDataChanged?: (scope?: 'feeds') => void;
}

/** Large documents are parsed and stored one at a time, and their garbage collected straight after. */
function largeDocumentLane(): <T>(work: () => Promise<T>) => Promise<T> {
  const one = pLimit(1);
  return (work) =>
    one(async () => {
      try {
        return await work();
      } finally {
        collectGarbage();
      }
    });
}

/**
 * A batch of the story writer leaves its rows, vectors and decisions behind as garbage, and the documents
 * parsed meanwhile theirs: collected after each large batch, a pass of thousands of new items stays near
 * what is live (the story index) instead of growing by a hundred MB or more before V8 collects (issue 15).
 */
function batchGarbageCollector(): (assigned: number) => void {
  let last = 0;
  return (assigned) => {
    if (assigned - last < GARBAGE_AFTER_ITEMS) return;
    last = assigned;
    collectGarbage();
  };
}
const GARBAGE_AFTER_ITEMS = 1000;

/** "2xx" … "5xx", or "none" when no response came: a handful of series, however many feeds. */
const statusClass = (status: number | null): string => (status === null ? 'none' : `${Math.floor(status / 100)}xx`);

export function createWorkerDeps(db: Db, config: Config, logger: Logger, hooks: WorkerHooks = {}): WorkerDeps {
  const { metrics } = hooks;
  return {
    db,
    logger,
    fetchOptions: fetchOptionsFromConfig(config),
    limiter: createFetchLimiter({ concurrency: config.fetchConcurrency, perHost: config.fetchPerHost }),
    policy: {
      defaultMs: config.pollInterval,
      minMs: config.pollMinInterval,
      maxMs: config.pollMaxInterval,
      backoffMaxMs: config.backoffMax,
    },
    maxItemsPerFetch: config.maxItemsPerFetch,
    workerId: `${os.hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`,
    now: () => new Date(),
    random: Math.random,
    largeDocuments: largeDocumentLane(),
    readLargeDocument: createDocumentReader(),
    // Feeds answering 304 together are recorded together: one statement instead of one transaction each.
    recordQuietFetch: createWriteBatch((fetches: QuietFetch[]) => recordQuietFetches(db, fetches), 500).add,
    claimBatch: config.fetchBatch,
    concurrency: config.fetchConcurrency,
    connectionsPerOrigin: config.fetchPerHost,
    leaseMs: config.fetchLease,
    assignBatch: config.storyBatch,
    assignStories: async (now, scope = {}) => {
      // One collector per call, as each call counts its items from zero: shared, a pass's grouping lane
      // (a call per chunk of exactly STORY_BATCH items) collected after its first chunk only (issue 15).
      const collectBatchGarbage = batchGarbageCollector();
      const result = await assignPendingStories(db, {
        now,
        batchSize: config.storyBatch,
        ...scope,
        onProgress: (assigned, total) => {
          collectBatchGarbage(assigned);
          scope.onProgress?.(assigned, total);
        },
      });
      metrics?.storiesCreated.inc(result.created);
      return result;
    },
    ...(hooks.onDataChanged ? { onDataChanged: hooks.onDataChanged } : {}),
    onReport: (report) => {
      if (!metrics) return;
      metrics.fetches.inc({ outcome: report.outcome, status: statusClass(report.status) });
      metrics.fetchDuration.observe({ outcome: report.outcome }, report.durationMs / 1000);
      metrics.itemsStored.inc({ kind: 'new' }, report.itemsNew);
      metrics.itemsStored.inc({ kind: 'updated' }, report.itemsUpdated);
    },
  };
}
