// Applies the numbered SQL files in sql/ in order, each once. Two processes starting together are
// serialised by an advisory lock held for the migration transaction.
import fs from 'node:fs';
import path from 'node:path';
import { PACKAGE_ROOT } from '../config.js';
import type { Db } from './db/db.js';

export const SQL_DIR = path.join(PACKAGE_ROOT, 'sql');

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export function readMigrations(dir = SQL_DIR): Migration[] {
  return fs
    .readdirSync(dir)
    .filter((f) => /^\d{3}_[\w-]+\.sql$/.test(f))
    .sort()
    .map((f) => ({ version: Number(f.slice(0, 3)), name: f, sql: fs.readFileSync(path.join(dir, f), 'utf8') }));
}

const MIGRATION_LOCK = 7_146_020_001;
const LOCK_MIGRATIONS = 'SELECT pg_advisory_xact_lock($1)';
const CREATE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version integer PRIMARY KEY,
  name text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
)`;
const SELECT_APPLIED = 'SELECT version FROM schema_migrations ORDER BY version';
const INSERT_APPLIED = 'INSERT INTO schema_migrations (version, name) VALUES ($1, $2)';

/** Applies pending migrations in one transaction; returns the names applied by this call. */
export async function migrate(db: Db, migrations = readMigrations()): Promise<string[]> {
  return db.transaction(async (tx) => {
    // A second starter waits here, then finds everything applied.
    await tx.query(LOCK_MIGRATIONS, [MIGRATION_LOCK]);
    await tx.exec(CREATE_MIGRATIONS_TABLE);
    const done = new Set((await tx.query<{ version: number }>(SELECT_APPLIED)).rows.map((r) => r.version));
    const applied: string[] = [];
    for (const m of migrations) {
      if (done.has(m.version)) continue;
      await tx.query(INSERT_APPLIED, [m.version, m.name]);
      await tx.exec(m.sql);
      applied.push(m.name);
    }
    return applied;
  });
}

/** True when every migration in sql/ has been applied (for /readyz). */
export async function isSchemaCurrent(db: Db, migrations = readMigrations()): Promise<boolean> {
  const res = await db.query<{ version: number }>(SELECT_APPLIED);
  const done = new Set(res.rows.map((r) => r.version));
  return migrations.every((m) => done.has(m.version));
}
