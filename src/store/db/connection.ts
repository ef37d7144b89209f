// Opening the configured database: a Postgres server when DATABASE_URL is set, the embedded one under
// DATA_DIR otherwise. Either way a failure to reach it says which setting and why, before any work.
import { DatabaseError, describeError } from '../../errors.js';
import { hideCredentials } from '../../redact.js';
import { openPgDb, type Db } from './db.js';
import { openEmbeddedDb } from './embedded.js';

export interface OpenDbOptions {
  databaseUrl: string | null;
  dataDir: string;
  /** The embedded database's page cache, in bytes. */
  embeddedCacheBytes?: number;
  /** Connections for a Postgres server; PGlite is always one. */
  poolSize?: number;
  onError?: (err: Error) => void;
}

const PING = 'SELECT 1';

/** pg when a DATABASE_URL is given (checked reachable), PGlite under dataDir otherwise. */
export async function openDb(options: OpenDbOptions): Promise<Db> {
  if (!options.databaseUrl) return openEmbeddedDb(options.dataDir, options.embeddedCacheBytes);
  const db = openPgDb({
    connectionString: options.databaseUrl,
    ...(options.poolSize ? { max: options.poolSize } : {}),
    ...(options.onError ? { onError: options.onError } : {}),
  });
  try {
    await db.query(PING);
  } catch (err) {
    await db.close().catch(() => undefined);
    throw new DatabaseError(
      `cannot connect to DATABASE_URL (${hideCredentials(options.databaseUrl)}): ${describeError(err)}`,
      { cause: err },
    );
  }
  return db;
}
