// Opening the configured database: a Postgres server (DATABASE_URL) or the embedded one (DATA_DIR),
// its schema brought up to date before anything else uses it.
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import { openDb } from './db/connection.js';
import type { Db } from './db/db.js';
import { releaseStaleLeases } from './feeds.js';
import { migrate } from './migrations.js';

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
