// Wiring only: config → database → migrations → sources → worker and/or server.
import fs from 'node:fs';
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import type { AddressInfo } from 'node:net';
import cron from 'node-cron';
import pLimit from 'p-limit';
import { DEFAULT_SOURCES_FILE, publicBaseUrl, type Config } from './config.js';
import { describeError } from './errors.js';
import { createFetchLimiter, fetchOptionsFromConfig } from './fetch/index.js';
import type { Logger } from './log.js';
import { createMetrics, type Metrics } from './metrics.js';
import { createApp } from './server/app.js';
import type { AdminActions } from './server/app.js';
import { readOpml } from './sources/opml.js';
import { readOpmlAsync } from './sources/opml-async.js';
import type { FeedSource } from './model.js';
import { openDb, openPgDb, type Db } from './store/db.js';
import { addFeeds, listFeedReports, recordQuietFetches, removeFeed, type QuietFetch } from './store/feeds.js';
import { migrate } from './store/migrations.js';
import { assignPendingStories, consolidateStories, pruneOld } from './store/stories.js';
import { createWriteBatch } from './store/write-batch.js';
import { addFeedFromUrl } from './worker/add-feed.js';
import { createDocumentReader } from './worker/document.js';
import { collectGarbage } from './worker/memory.js';
import { runPass, startWorker, type RunningWorker, type WorkerDeps } from './worker/worker.js';

/** Opens the configured database and brings its schema up to date. */
export async function openStore(config: Config, logger: Logger): Promise<Db> {
  const db = await openDb({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    embeddedCacheBytes: config.embeddedCache,
    // Every fetch in flight may hold a connection while it stores; the API and upkeep need a few more.
    poolSize: config.fetchConcurrency + 4,
    onError: (err) => logger.error({ reason: err.message }, 'database connection lost'),
  });
  const applied = await migrate(db);
  for (const name of applied) logger.info({ migration: name }, 'migration applied');
  return db;
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
export async function loadSources(db: Db, sources: FeedSource[], logger: Logger, onProgress?: (done: number, total: number) => void): Promise<{ added: number; existing: number }> {
  let added = 0;
  for (let start = 0; start < sources.length; start += IMPORT_BATCH) {
    const batch = sources.slice(start, start + IMPORT_BATCH);
    const created = await db.transaction((tx) => addFeeds(tx, batch));
    for (const feed of created) logger.info({ feed_id: feed.id, feed_url: feed.url, outlet: feed.outlet }, 'feed added');
    added += created.length;
    const done = Math.min(sources.length, start + IMPORT_BATCH);
    if (sources.length > IMPORT_BATCH) logger.info({ done, total: sources.length, added }, 'sources import progress');
    onProgress?.(done, sources.length);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return { added, existing: sources.length - added };
}

export function readSourcesFile(file: string, maxFeeds: number): FeedSource[] {
  return readOpml(fs.readFileSync(file, 'utf8'), { maxFeeds });
}

export interface WorkerHooks {
  metrics?: Metrics;
  onDataChanged?: () => void;
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

export function createWorkerDeps(db: Db, config: Config, logger: Logger, hooks: WorkerHooks = {}): WorkerDeps {
  const { metrics } = hooks;
  return {
    db,
    logger,
    fetchOptions: fetchOptionsFromConfig(config),
    limiter: createFetchLimiter({ concurrency: config.fetchConcurrency, perHost: config.fetchPerHost }),
    policy: { defaultMs: config.pollInterval, minMs: config.pollMinInterval, maxMs: config.pollMaxInterval, backoffMaxMs: config.backoffMax },
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
    assignStories: async (now) => {
      const result = await assignPendingStories(db, { now });
      metrics?.storiesCreated.inc(result.created);
      return result;
    },
    ...(hooks.onDataChanged ? { onDataChanged: hooks.onDataChanged } : {}),
    onReport: (report, outlet) => {
      if (!metrics) return;
      metrics.fetches.inc({ outcome: report.outcome, outlet });
      metrics.fetchDuration.observe({ outcome: report.outcome, outlet }, report.durationMs / 1000);
      metrics.itemsStored.inc({ kind: 'new' }, report.itemsNew);
      metrics.itemsStored.inc({ kind: 'updated' }, report.itemsUpdated);
    },
  };
}

function createAdminActions(db: Db, config: Config, deps: WorkerDeps, worker: RunningWorker | null): AdminActions {
  return {
    addFeed: async (input) => {
      const { feed } = await addFeedFromUrl(db, input, deps.fetchOptions);
      const reports = await listFeedReports(db);
      return reports.find((r) => r.id === feed.id)!;
    },
    removeFeed: (id) => removeFeed(db, id),
    importOpml: async (xml) => loadSources(db, await readOpmlAsync(xml, config.opmlMaxFeeds), deps.logger),
    triggerFetch: async () => {
      if (worker) void worker.runNow();
      else void runPass(deps).catch((err: unknown) => deps.logger.error({ reason: describeError(err) }, 'triggered pass failed'));
      const due = (await listFeedReports(db)).filter((r) => r.status !== 'gone' && r.status !== 'disabled');
      return { queued: due.length };
    },
  };
}

/** Hourly upkeep any worker may run: merge stories that turned out to be one, prune old ones. */
function startUpkeep(db: Db, config: Config, logger: Logger, onDataChanged: () => void): { stop(): Promise<void> } {
  const task = cron.schedule(
    '17 * * * *',
    async () => {
      try {
        const now = new Date();
        const merged = await consolidateStories(db, { now });
        const pruned = await pruneOld(db, { olderThan: new Date(now.getTime() - config.retention) });
        logger.info({ merged, pruned }, 'upkeep done');
        onDataChanged();
      } catch (err) {
        logger.error({ reason: describeError(err) }, 'upkeep failed');
      }
    },
    { noOverlap: true, name: 'storyline-upkeep' },
  );
  return { stop: async () => void (await task.destroy()) };
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
    onError: (err) => logger.error({ reason: err.message }, 'database connection lost'),
  });
}

export interface RunningService {
  url: string | null;
  db: Db;
  stop(): Promise<void>;
}

/** Starts what RUN asks for (worker, server or both) on one database. */
export async function startService(config: Config, logger: Logger, options: { sources?: FeedSource[] } = {}): Promise<RunningService> {
  const db = await openStore(config, logger);
  const sources = options.sources ?? readSourcesFile(sourcesFile(config), config.opmlMaxFeeds);
  const loaded = await loadSources(db, sources, logger);
  logger.info({ sources_file: options.sources ? null : sourcesFile(config), ...loaded }, 'sources loaded');

  const metrics = createMetrics();
  let invalidate: () => void = () => undefined;
  const deps = createWorkerDeps(db, config, logger, { metrics, onDataChanged: () => invalidate() });
  const worker = config.run.includes('worker') ? startWorker(deps, config.fetchSchedule) : null;
  const upkeep = config.run.includes('worker') ? startUpkeep(db, config, logger, () => invalidate()) : null;

  let server: http.Server | null = null;
  let url: string | null = null;
  let serverDb: Db | null = null;
  if (config.run.includes('server')) {
    const admin = createAdminActions(db, config, deps, worker);
    serverDb = openServerDb(config, logger);
    const app = createApp({ db: serverDb ?? db, config, metrics, logger, admin });
    invalidate = () => app.locals.invalidate?.();
    server = http.createServer(app);
    await new Promise<void>((resolve, reject) => server!.once('error', reject).listen(config.port, config.host, resolve));
    const port = (server.address() as AddressInfo).port;
    url = config.baseUrl ?? publicBaseUrl({ ...config, port });
    logger.info({ url, host: config.host, port }, 'server listening');
  }

  return {
    url,
    db,
    stop: async () => {
      logger.info({}, 'stopping');
      const closing = server ? new Promise<void>((resolve) => server!.close(() => resolve())) : Promise.resolve();
      server?.closeIdleConnections();
      await Promise.all([worker?.stop(), upkeep?.stop(), closing]);
      await serverDb?.close();
      await db.close();
      logger.info({}, 'stopped');
    },
  };
}

