// The systems bench:ingest runs side by side on the same static feeds: Storyline's `fetch --once`
// (compiled, as deployed) into a Postgres server and into the embedded database, and newsboat's
// non-interactive reload into its SQLite cache. Each round gets a fresh store: a new database, a new
// DATA_DIR, a new cache file. Then a cold pass (every item new) and a warm pass (every feed 304).
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { openPgDb, openPgliteDb, type Db } from '../src/store/db/db.js';
import { childEnv } from '../tests/helpers/cli.js';
import { measureRun, type RunMeasure } from './measured-run.js';

export const NEWSBOAT = '/usr/bin/newsboat';

/** What one system stored after its cold pass. */
export interface Stored {
  items: number;
  /** Items in a story (null for a reader that does not group). */
  assigned: number | null;
}

export interface System {
  name: string;
  /** Why it cannot run here, or null. */
  missing(): string | null;
  /** A fresh store for a round. */
  prepare(round: number): Promise<void>;
  pass(): Promise<RunMeasure>;
  stored(): Promise<Stored>;
  cleanup(): Promise<void>;
}

export interface Site {
  hostPort: string;
  urls: string[];
  sourcesFile: string;
}

/** The worker settings of the measurement: 8 fetches at once, all 8 allowed on the one host. */
const STORYLINE_ENV = { FETCH_CONCURRENCY: '8', FETCH_PER_HOST: '8', FETCH_BATCH: '1000', LOG_LEVEL: 'warn' };

async function countStored(db: Db): Promise<Stored> {
  const row = (
    await db.query<{ items: number; assigned: number }>(
      'SELECT count(*)::int AS items, count(story_id)::int AS assigned FROM items',
    )
  ).rows[0]!;
  return { items: row.items, assigned: row.assigned };
}

function storylinePass(
  entry: string,
  site: Site,
  env: Record<string, string>,
  server?: { adminUrl: string; database: string },
): Promise<RunMeasure> {
  const all = childEnv({
    ...STORYLINE_ENV,
    ...env,
    SOURCES_FILE: site.sourcesFile,
    ALLOW_PRIVATE_HOSTS: site.hostPort,
  });
  return measureRun(process.execPath, [entry, 'fetch', '--once'], { env: all, ...(server ? { server } : {}) });
}

/** Migrates the store before the timed passes: creating a schema (or an embedded cluster) is set-up, not a pass. */
function migrateStore(entry: string, env: Record<string, string>): void {
  const run = spawnSync(process.execPath, [entry, 'migrate'], {
    env: childEnv({ ...env, LOG_LEVEL: 'warn' }),
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`storyline migrate failed: ${run.stderr}`);
}

/** Storyline into a database of its own on the Postgres server at adminUrl. */
export function storylinePostgres(entry: string, site: Site, adminUrl: string | null): System {
  let database = '';
  const urlOf = (name: string) => {
    const url = new URL(adminUrl!);
    url.pathname = `/${name}`;
    return url.toString();
  };
  const admin = async (...statements: string[]) => {
    const db = openPgDb({ connectionString: adminUrl!, max: 1 });
    try {
      for (const sql of statements) await db.exec(sql);
    } finally {
      await db.close();
    }
  };
  return {
    name: 'Storyline, Postgres',
    missing: () =>
      adminUrl ? null : 'no BENCH_DATABASE_URL (or TEST_DATABASE_URL, DATABASE_URL) names a Postgres server',
    prepare: async (round) => {
      database = `bench_ingest_${process.pid}_${round}`;
      await admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`, `CREATE DATABASE ${database}`);
      migrateStore(entry, { DATABASE_URL: urlOf(database) });
    },
    pass: () => storylinePass(entry, site, { DATABASE_URL: urlOf(database) }, { adminUrl: adminUrl!, database }),
    stored: async () => {
      const db = openPgDb({ connectionString: urlOf(database), max: 1 });
      return countStored(db).finally(() => db.close());
    },
    cleanup: () => admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`),
  };
}

/** Storyline on the embedded database in a fresh DATA_DIR under dir. */
export function storylineEmbedded(entry: string, site: Site, dir: string): System {
  let dataDir = '';
  return {
    name: 'Storyline, embedded',
    missing: () => null,
    prepare: async (round) => {
      dataDir = path.join(dir, `data-${round}`);
      fs.rmSync(dataDir, { recursive: true, force: true });
      migrateStore(entry, { DATA_DIR: dataDir });
    },
    pass: () => storylinePass(entry, site, { DATA_DIR: dataDir }),
    stored: async () => {
      const db = await openPgliteDb(path.join(dataDir, 'pglite'));
      return countStored(db).finally(() => db.close());
    },
    cleanup: async () => fs.rmSync(dataDir, { recursive: true, force: true }),
  };
}

/** newsboat 2.21 with 8 reload threads, as the issue measured it. */
export function newsboat(site: Site, dir: string): System {
  let home = '';
  return {
    name: 'newsboat',
    missing: () => (fs.existsSync(NEWSBOAT) ? null : `${NEWSBOAT} is not installed (apt-get install newsboat)`),
    prepare: async (round) => {
      home = path.join(dir, `newsboat-${round}`);
      fs.rmSync(home, { recursive: true, force: true });
      fs.mkdirSync(home, { recursive: true });
      fs.writeFileSync(path.join(home, 'urls'), site.urls.join('\n') + '\n');
      fs.writeFileSync(path.join(home, 'config'), 'reload-threads 8\nshow-read-feeds yes\n');
    },
    pass: () =>
      measureRun(NEWSBOAT, ['-x', 'reload', '-u', 'urls', '-c', 'cache.db', '-C', 'config'], {
        cwd: home,
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, LANG: 'C.UTF-8' },
      }),
    // Read with the sqlite3 shell when there is one (NaN otherwise: newsboat's own count is not checked).
    stored: async () => {
      try {
        return {
          items: Number(
            execFileSync('sqlite3', [path.join(home, 'cache.db'), 'SELECT count(*) FROM rss_item'], {
              encoding: 'utf8',
            }).trim(),
          ),
          assigned: null,
        };
      } catch {
        return { items: Number.NaN, assigned: null };
      }
    },
    cleanup: async () => fs.rmSync(home, { recursive: true, force: true }),
  };
}
