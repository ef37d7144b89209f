// A fresh, migrated database per test file: PGlite always, and the Postgres server named by
// TEST_DATABASE_URL (or DATABASE_URL) as well, each file in a schema of its own.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe } from 'vitest';
import { openPgDb, openPgliteDb, type Db } from '../../src/store/db/db.js';
import { migrate } from '../../src/store/migrations.js';

export type BackendName = 'pglite' | 'pg';

export const serverDatabaseUrl: string | null = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL || null;

export function testBackends(): BackendName[] {
  return serverDatabaseUrl ? ['pglite', 'pg'] : ['pglite'];
}

export interface TestDb {
  db: Db;
  /** Connection settings a child process (the real CLI) can use to reach the same database. */
  env: Record<string, string>;
  close(): Promise<void>;
}

/** Opens a new empty database on the backend and applies the migrations (unless `unmigrated`). */
export async function openTestDb(
  backend: BackendName,
  options: { dataDir?: string; unmigrated?: boolean } = {},
): Promise<TestDb> {
  if (backend === 'pglite') {
    const db = await openPgliteDb(options.dataDir ?? null);
    if (!options.unmigrated) await migrate(db);
    return { db, env: {}, close: () => db.close() };
  }
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = openPgDb({ connectionString: serverDatabaseUrl!, max: 1 });
  await admin.exec(`CREATE SCHEMA ${schema}`);
  const db = openPgDb({ connectionString: serverDatabaseUrl!, schema });
  if (!options.unmigrated) await migrate(db);
  const url = new URL(serverDatabaseUrl!);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    db,
    env: { DATABASE_URL: url.toString() },
    close: async () => {
      await db.close();
      await admin.exec(`DROP SCHEMA ${schema} CASCADE`);
      await admin.close();
    },
  };
}

/** Runs the suite once per available backend, each with its own fresh database. */
export function describeEachDb(
  name: string,
  suite: (ctx: { readonly db: Db; readonly backend: BackendName; readonly env: Record<string, string> }) => void,
): void {
  for (const backend of testBackends()) {
    describe(`${name} [${backend}]`, () => {
      let handle: TestDb | undefined;
      beforeAll(async () => {
        handle = await openTestDb(backend);
      });
      afterAll(async () => {
        await handle?.close();
      });
      suite({
        backend,
        get db() {
          if (!handle) throw new Error('test database not open yet');
          return handle.db;
        },
        get env() {
          return handle?.env ?? {};
        },
      });
    });
  }
}
