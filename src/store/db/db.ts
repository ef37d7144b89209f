// The one database interface the rest of Storyline sees, with adapters for a Postgres server (pg)
// and for embedded Postgres (PGlite). Callers pass SQL constants and bound values only.
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { PGlite, types as pgliteTypes } from '@electric-sql/pglite';
import { QueryTimeoutError } from '../../errors.js';

export interface QueryResult<T> {
  rows: T[];
  rowCount: number;
}

export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<T>>;
}

export interface Tx extends Queryable {
  /** Runs a script of several statements (migrations); no parameters. */
  exec(sql: string): Promise<void>;
}

export interface Db extends Tx {
  readonly kind: 'pg' | 'pglite';
  /** Runs fn inside BEGIN … COMMIT, rolling back if it throws. */
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

// int8 (counts, sums) as JS numbers in both adapters: every value we store fits in 2^53.
const INT8_OID = 20;
pg.types.setTypeParser(INT8_OID, (v) => Number(v));

export interface PgOptions {
  connectionString: string;
  /** Schema to use as search_path (tests give each file its own). */
  schema?: string;
  max?: number;
  /** Cancels any statement running longer (the server's pool: no request holds a connection for long). */
  statementTimeoutMs?: number;
  /** max_parallel_workers_per_gather for each connection (the server's pool); unset: the server's own. */
  parallelWorkers?: number;
  onError?: (err: Error) => void;
}

// SQLSTATE 57014 (query_canceled) is what statement_timeout raises.
const QUERY_CANCELED = '57014';

/**
 * The connection string and the server settings for each connection. Settings the URL's own `options`
 * parameter gives are kept, and it is taken out of the URL: pg would let it replace ours.
 */
function connectionSettings(options: PgOptions): { connectionString: string; options?: string } {
  const settings = [
    options.schema ? `-c search_path=${options.schema}` : '',
    options.statementTimeoutMs ? `-c statement_timeout=${Math.round(options.statementTimeoutMs)}` : '',
    options.parallelWorkers !== undefined
      ? `-c max_parallel_workers_per_gather=${Math.round(options.parallelWorkers)}`
      : '',
  ].filter(Boolean);
  if (settings.length === 0) return { connectionString: options.connectionString };
  let url: URL | null = null;
  try {
    url = new URL(options.connectionString);
  } catch {
    // Not a URL (a keyword/value string): nothing to keep.
  }
  const fromUrl = url?.searchParams.get('options') ?? null;
  url?.searchParams.delete('options');
  return {
    connectionString: url ? url.toString() : options.connectionString,
    options: [fromUrl, ...settings].filter(Boolean).join(' '),
  };
}

export function openPgDb(options: PgOptions): Db {
  const pool = new pg.Pool({
    ...connectionSettings(options),
    max: options.max ?? 10,
    connectionTimeoutMillis: 10_000,
  });
  // An idle client losing its server (restart, failover) must not crash the process.
  pool.on('error', (err) => options.onError?.(err));
  const run = async <T>(
    client: pg.Pool | pg.PoolClient,
    sql: string,
    params?: readonly unknown[],
  ): Promise<QueryResult<T>> => {
    try {
      const res = await client.query(sql, params as unknown[] | undefined);
      return { rows: res.rows as T[], rowCount: res.rowCount ?? 0 };
    } catch (err) {
      if ((err as { code?: string }).code === QUERY_CANCELED)
        throw new QueryTimeoutError(
          `query cancelled after ${options.statementTimeoutMs ?? '?'} ms (STATEMENT_TIMEOUT)`,
          { cause: err },
        );
      throw err;
    }
  };
  return {
    kind: 'pg',
    query: (sql, params) => run(pool, sql, params),
    exec: async (sql) => {
      await pool.query(sql);
    },
    transaction: async (fn) => {
      const client = await pool.connect();
      // A server restart mid-transaction must reach the caller as a failed query, not crash the process.
      const onError = (err: Error) => options.onError?.(err);
      client.on('error', onError);
      try {
        await client.query('BEGIN');
        const result = await fn({
          query: (sql, params) => run(client, sql, params),
          exec: async (sql) => {
            await client.query(sql);
          },
        });
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.off('error', onError);
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

/** Embedded Postgres's default page cache: Postgres's own 128 MB is resident in the process from the start. */
export const DEFAULT_EMBEDDED_CACHE_BYTES = 16 * 1024 * 1024;

/** Embedded Postgres; dataDir null keeps everything in memory (tests). */
export async function openPgliteDb(dataDir: string | null, cacheBytes = DEFAULT_EMBEDDED_CACHE_BYTES): Promise<Db> {
  if (dataDir) fs.mkdirSync(path.resolve(dataDir), { recursive: true });
  const db = await PGlite.create(dataDir ? path.resolve(dataDir) : undefined, {
    parsers: { [pgliteTypes.INT8]: (v: string) => Number(v) },
    startParams: [
      ...PGlite.defaultStartParams,
      '-c',
      `shared_buffers=${Math.max(128, Math.floor(cacheBytes / 1024))}kB`,
    ],
  });
  const toResult = <T>(res: { rows: unknown[]; affectedRows?: number }): QueryResult<T> => ({
    rows: res.rows as T[],
    rowCount: res.affectedRows || res.rows.length,
  });
  return {
    kind: 'pglite',
    query: async (sql, params) => toResult(await db.query(sql, params as unknown[] | undefined)),
    exec: async (sql) => {
      await db.exec(sql);
    },
    // PGlite is one connection: its transaction() queues every other query until this one ends.
    transaction: (fn) =>
      db.transaction((tx) =>
        fn({
          query: async (sql, params) => toResult(await tx.query(sql, params as unknown[] | undefined)),
          exec: async (sql) => {
            await tx.exec(sql);
          },
        }),
      ),
    close: () => db.close(),
  };
}
