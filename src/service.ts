// Wiring only: config → database → migrations → sources → worker and/or server.
import fs from 'node:fs';
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import cron from 'node-cron';
import pLimit from 'p-limit';
import { DEFAULT_SOURCES_FILE, publicBaseUrl, type Config } from './config.js';
import { InvalidInputError, describeError } from './errors.js';
import { createFetchLimiter, fetchOptionsFromConfig } from './fetch/index.js';
import type { Logger } from './log.js';
import { createMetrics, type Metrics } from './metrics.js';
import type { AdminActions } from './server/app.js';
import { checkHost, listen, type ListenAt } from './server/listen.js';
import { createMetricsServer } from './server/metrics-server.js';
import { normalizeSource } from './normalize/index.js';
import { readOpml } from './sources/opml.js';
import { readOpmlAsync } from './sources/opml-async.js';
import type { FeedSource } from './model.js';
import { openDb } from './store/db/connection.js';
import { openPgDb, type Db } from './store/db/db.js';
import {
  addFeeds,
  listFeedReports,
  recordQuietFetches,
  releaseStaleLeases,
  removeFeed,
  type QuietFetch,
} from './store/feeds.js';
import { migrate } from './store/migrations.js';
import { assignPendingStories } from './worker/stories/assign.js';
import { pruneOld } from './worker/stories/prune.js';
import { createWriteBatch } from './store/write-batch.js';
import { addFeedFromUrl } from './worker/add-feed.js';
import { createDocumentReader } from './worker/document.js';
import { collectGarbage } from './worker/memory.js';
import { runPass, startWorker, type RunningWorker, type WorkerDeps } from './worker/worker.js';

/** Opens the configured database (a failure names DATABASE_URL or DATA_DIR and the cause), schema as it is. */
export function openDatabase(config: Config, logger: Logger): Promise<Db> {
  return openDb({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    embeddedCacheBytes: config.embeddedCache,
    // Every fetch in flight may hold a connection while it stores; the API and upkeep need a few more.
    poolSize: config.fetchConcurrency + 4,
    onError: (err) => logger.error({ reason: err.message }, 'database connection lost'),
  });
}

/** Opens the configured database and brings its schema up to date; an embedded one's leases are released. */
export async function openStore(config: Config, logger: Logger): Promise<Db> {
  const db = await openDatabase(config, logger);
  try {
    const applied = await migrate(db);
    for (const name of applied) logger.info({ migration: name }, 'migration applied');
    if (db.kind === 'pglite') {
      const released = await releaseStaleLeases(db);
      if (released > 0) logger.info({ feeds: released }, 'stale leases released');
    }
    return db;
  } catch (err) {
    await db.close().catch(() => undefined);
    throw err;
  }
}

export function sourcesFile(config: Config): string {
  return config.sourcesFile ?? DEFAULT_SOURCES_FILE;
}

/** Feeds added per transaction by an import: each batch is a short transaction, then a pause. */
export const IMPORT_BATCH = 500;

/**
 * Adds every source not stored yet, in batches of IMPORT_BATCH, each its own transaction, yielding
 * between them so a large import never holds the database (or, embedded, the service) for long.
 */
export async function loadSources(
  db: Db,
  sources: FeedSource[],
  logger: Logger,
  onProgress?: (done: number, total: number) => void,
): Promise<{ added: number; existing: number }> {
  let added = 0;
  for (let start = 0; start < sources.length; start += IMPORT_BATCH) {
    const batch = sources.slice(start, start + IMPORT_BATCH).map(normalizeSource);
    const created = await db.transaction((tx) => addFeeds(tx, batch));
    for (const feed of created)
      logger.info({ feed_id: feed.id, feed_url: feed.url, outlet: feed.outlet }, 'feed added');
    added += created.length;
    const done = Math.min(sources.length, start + IMPORT_BATCH);
    if (sources.length > IMPORT_BATCH) logger.info({ done, total: sources.length, added }, 'sources import progress');
    onProgress?.(done, sources.length);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return { added, existing: sources.length - added };
}

/** The feeds of an OPML file (at most maxFeeds); a failure names the file. */
export function readSourcesFile(file: string, maxFeeds: number): FeedSource[] {
  try {
    return readOpml(fs.readFileSync(file, 'utf8'), { maxFeeds });
  } catch (err) {
    throw new InvalidInputError(`${file}: ${describeError(err)}`);
  }
}

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

function createAdminActions(
  db: Db,
  deps: WorkerDeps,
  worker: () => RunningWorker | null,
  maxFeeds: number,
): AdminActions {
  return {
    addFeed: async (input) => {
      const { feed } = await addFeedFromUrl(db, input, deps.fetchOptions);
      const reports = await listFeedReports(db);
      return reports.find((r) => r.id === feed.id)!;
    },
    removeFeed: (id) => removeFeed(db, id),
    importOpml: async (xml) => loadSources(db, await readOpmlAsync(xml, maxFeeds), deps.logger),
    triggerFetch: async () => {
      const running = worker();
      if (running) void running.runNow();
      else
        void runPass(deps).catch((err: unknown) =>
          deps.logger.error({ reason: describeError(err) }, 'triggered pass failed'),
        );
      const due = (await listFeedReports(db)).filter((r) => r.status !== 'gone' && r.status !== 'disabled');
      return { queued: due.length };
    },
  };
}

/** The cut before which stories are pruned, or null when retention is unbounded (the demo keeps its week). */
export function retentionCut(now: Date, retentionMs: number): Date | null {
  const cut = now.getTime() - retentionMs;
  // Dates end at ±8.64e15 ms: an unbounded (or absurd) retention prunes nothing rather than failing.
  return Number.isFinite(cut) && cut > -8.64e15 ? new Date(cut) : null;
}

/**
 * Upkeep any worker may run, hourly: prune what is past retention. Consolidation is not here: it runs
 * within assignment as item time passes each hour, where `storyline cluster` runs it.
 */
export async function runUpkeep(
  db: Db,
  config: Pick<Config, 'retention'>,
  now: Date,
): Promise<{ items: number; stories: number; cut: Date | null }> {
  const cut = retentionCut(now, config.retention);
  const pruned = cut ? await pruneOld(db, { olderThan: cut }) : { items: 0, stories: 0 };
  return { ...pruned, cut };
}

function startUpkeep(db: Db, config: Config, logger: Logger, onDataChanged: () => void): { stop(): Promise<void> } {
  const task = cron.schedule(
    '17 * * * *',
    async () => {
      try {
        const pruned = await runUpkeep(db, config, new Date());
        logger.info(
          {
            pruned_items: pruned.items,
            pruned_stories: pruned.stories,
            retention_cut: pruned.cut?.toISOString() ?? null,
          },
          'upkeep done',
        );
        if (pruned.items + pruned.stories > 0) onDataChanged();
      } catch (err) {
        logger.error({ reason: describeError(err) }, 'upkeep failed');
      }
    },
    { noOverlap: true, name: 'storyline-upkeep' },
  );
  return { stop: async () => void (await task.destroy()) };
}

export interface RunningService {
  url: string | null;
  db: Db;
  stop(): Promise<void>;
}

/**
 * The server's own connections to a Postgres server, every statement cancelled past STATEMENT_TIMEOUT
 * (the worker's batches run long, so they keep the main pool); null on the embedded database, which
 * is one connection in its own thread and cannot cancel a statement.
 */
function openServerDb(config: Config, logger: Logger): Db | null {
  if (!config.databaseUrl) return null;
  return openPgDb({
    connectionString: config.databaseUrl,
    // A render runs up to three queries at once; with room to spare the data-version check, which
    // every cached answer waits for once a second, never queues behind renders for a connection.
    max: config.renderConcurrency * 4 + 2,
    statementTimeoutMs: config.statementTimeout,
    // A parallel plan's workers start in tens of milliseconds on a busy machine, and under a flood
    // they multiply each render's share of the cores (issue 12).
    parallelWorkers: config.serverParallelWorkers,
    onError: (err) => logger.error({ reason: err.message }, 'database connection lost'),
  });
}

export interface ServiceOptions {
  /** Sources to load instead of SOURCES_FILE (the demo). */
  sources?: FeedSource[];
  /** Runs on the open database before the sources are loaded. */
  prepare?: (db: Db) => Promise<void>;
}

const closeServer = (server: http.Server): Promise<void> =>
  new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });

/** Listens with one of the process's servers, keeping it where a failed start can close it. */
async function listenWith(servers: http.Server[], server: http.Server, at: ListenAt): Promise<number> {
  servers.push(server);
  return listen(server, at);
}

/** The worker, upkeep, HTTP server and metrics listener, as RUN and METRICS_PORT ask; listening before working. */
async function startRoles(config: Config, logger: Logger, db: Db, servers: http.Server[]): Promise<RunningService> {
  const metrics = createMetrics();
  let invalidate: (scope?: 'feeds') => void = () => undefined;
  const deps = createWorkerDeps(db, config, logger, { metrics, onDataChanged: (scope) => invalidate(scope) });
  let worker: RunningWorker | null = null;
  let serverDb: Db | null = null;
  let url: string | null = null;
  if (config.run.includes('server')) {
    // Loaded by a process that serves only: `fetch --once` and the other one-off commands never hold
    // Express, the pages and the feed writer (about 10 MB resident; issue 15).
    const { createApp } = await import('./server/app.js');
    serverDb = openServerDb(config, logger);
    const app = createApp({
      db: serverDb ?? db,
      config,
      metrics,
      logger,
      admin: createAdminActions(db, deps, () => worker, config.opmlMaxFeeds),
    });
    invalidate = (scope) => app.locals.invalidate?.(scope);
    const port = await listenWith(servers, http.createServer(app), {
      host: config.host,
      port: config.port,
      hostKey: 'HOST',
      portKey: 'PORT',
    });
    url = config.baseUrl ?? publicBaseUrl({ ...config, port });
    logger.info({ url, host: config.host, port }, 'server listening');
  }
  if (config.metricsPort !== null) {
    const port = await listenWith(servers, createMetricsServer(metrics), {
      host: config.host,
      port: config.metricsPort,
      hostKey: 'HOST',
      portKey: 'METRICS_PORT',
    });
    logger.info({ host: config.host, port }, 'metrics listening');
  }
  worker = config.run.includes('worker') ? startWorker(deps, config.fetchSchedule) : null;
  const upkeep = config.run.includes('worker') ? startUpkeep(db, config, logger, () => invalidate()) : null;
  const stop = async (): Promise<void> => {
    logger.info({}, 'stopping');
    await Promise.all([worker?.stop(), upkeep?.stop(), ...servers.map(closeServer)]);
    await serverDb?.close();
    await db.close();
    logger.info({}, 'stopped');
  };
  return { url, db, stop };
}

/**
 * Starts what RUN asks for (worker, server or both) on one database. Everything that can fail on a
 * setting (the sources file, HOST, PORT) fails before the worker starts, and leaves nothing running.
 */
export async function startService(
  config: Config,
  logger: Logger,
  options: ServiceOptions = {},
): Promise<RunningService> {
  const sources = options.sources ?? readSourcesFile(sourcesFile(config), config.opmlMaxFeeds);
  if (config.run.includes('server') || config.metricsPort !== null)
    await checkHost({ host: config.host, hostKey: 'HOST' });
  const db = await openStore(config, logger);
  const servers: http.Server[] = [];
  try {
    await options.prepare?.(db);
    const loaded = await loadSources(db, sources, logger);
    logger.info({ sources_file: options.sources ? null : sourcesFile(config), ...loaded }, 'sources loaded');
    return await startRoles(config, logger, db, servers);
  } catch (err) {
    await Promise.all(servers.filter((s) => s.listening).map(closeServer));
    await db.close().catch(() => undefined);
    throw err;
  }
}
