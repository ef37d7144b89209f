// Wiring only: config → database → sources → worker, upkeep and/or server, as RUN asks.
import http from 'node:http';
import { publicBaseUrl, sourcesFile, type Config } from './config.js';
import { describeError } from './errors.js';
import type { Logger } from './log.js';
import { createMetrics } from './metrics.js';
import type { FeedSource } from './model.js';
import type { AdminActions } from './server/app.js';
import { createResponseCache } from './server/cache/response-cache.js';
import { checkHost, listen, type ListenAt } from './server/listen.js';
import { createMetricsServer } from './server/metrics-server.js';
import { openPgDb, type Db } from './store/db/db.js';
import { listFeedReports } from './store/feeds.js';
import { openStore } from './store/open.js';
import { createWorkerDeps } from './worker/deps.js';
import { addFeedFromUrl, importOpml, loadSources, readSourcesFile, removeFeed } from './worker/feed-operations.js';
import { startUpkeep } from './worker/upkeep.js';
import { runPass, startWorker, type RunningWorker, type WorkerDeps } from './worker/worker.js';

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
    importOpml: (xml) => importOpml(db, xml, maxFeeds, deps.logger),
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
  // One response cache, shared with the worker in this process, which empties it after writing.
  const cache = config.run.includes('server') ? createResponseCache() : null;
  const invalidate = (scope?: 'feeds'): void => cache?.invalidate(scope);
  const deps = createWorkerDeps(db, config, logger, { metrics, onDataChanged: invalidate });
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
      ...(cache ? { cache } : {}),
      admin: createAdminActions(db, deps, () => worker, config.opmlMaxFeeds),
    });
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
