// The server's pool on a Postgres server cancels a statement past STATEMENT_TIMEOUT, and the server
// answers 503 for it: a query no request can make run long.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { QueryTimeoutError } from '../../src/errors.js';
import { mapError } from '../../src/server/errors.js';
import { openPgDb } from '../../src/store/db/db.js';
import { serverDatabaseUrl } from '../helpers/db.js';

describe.skipIf(!serverDatabaseUrl)('statement timeout on a Postgres server (TEST_DATABASE_URL)', () => {
  it('cancels a long statement as a QueryTimeoutError, which the server answers with 503 and Retry-After', async () => {
    const db = openPgDb({ connectionString: serverDatabaseUrl!, statementTimeoutMs: 100, max: 1 });
    try {
      const err = await db.query('SELECT pg_sleep(5)').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(QueryTimeoutError);
      expect((err as Error).message).toMatch(/^store: query cancelled after 100 ms/);
      expect(mapError(err)).toMatchObject({ status: 503, headers: { 'Retry-After': expect.any(String) } });
      // The connection stays usable for the next request.
      expect((await db.query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    } finally {
      await db.close();
    }
  });

  it('runs the server pool without parallel workers unless told (SERVER_PARALLEL_WORKERS), keeping the URL search path', async () => {
    const url = new URL(serverDatabaseUrl!);
    url.searchParams.set('options', '-c search_path=pg_catalog');
    const db = openPgDb({
      connectionString: url.toString(),
      statementTimeoutMs: 1000,
      parallelWorkers: loadConfig({}).serverParallelWorkers,
      max: 1,
    });
    try {
      expect(
        (
          await db.query<{ path: string; workers: string }>(
            "SELECT current_setting('search_path') AS path, current_setting('max_parallel_workers_per_gather') AS workers",
          )
        ).rows,
      ).toEqual([{ path: 'pg_catalog', workers: '0' }]);
    } finally {
      await db.close();
    }
  });

  it('keeps the search path the URL itself sets', async () => {
    const url = new URL(serverDatabaseUrl!);
    url.searchParams.set('options', '-c search_path=pg_catalog');
    const db = openPgDb({ connectionString: url.toString(), statementTimeoutMs: 1000, max: 1 });
    try {
      expect(
        (
          await db.query<{ path: string; timeout: string }>(
            "SELECT current_setting('search_path') AS path, current_setting('statement_timeout') AS timeout",
          )
        ).rows,
      ).toEqual([{ path: 'pg_catalog', timeout: '1s' }]);
    } finally {
      await db.close();
    }
  });
});
