// Shared benchmark helpers: a table printer, a peak-memory sampler, a database to bench on.
import { openPgDb, openPgliteDb, type Db } from '../src/store/db/db.js';
import { migrate } from '../src/store/migrations.js';

export function printTable(title: string, header: string[], rows: Array<Array<string | number>>): void {
  const cells = [header, ...rows.map((r) => r.map((c) => (typeof c === 'number' ? formatNumber(c) : c)))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => String(r[i] ?? '').length)));
  const line = (r: Array<string | number>) => `| ${r.map((c, i) => String(c).padEnd(widths[i]!)).join(' | ')} |`;
  console.log(`\n${title}\n`);
  console.log(line(header));
  console.log(`| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`);
  for (const r of cells.slice(1)) console.log(line(r));
}

export function formatNumber(n: number): string {
  if (Number.isInteger(n)) return n.toLocaleString('en-US');
  return n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(2);
}

/** Samples resident memory every 20 ms; peak() gives the highest seen since start. */
export function startMemorySampler(): { peakMb(): number; stop(): void } {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  return { peakMb: () => Math.max(peak, process.memoryUsage().rss) / 2 ** 20, stop: () => clearInterval(timer) };
}

/** A fresh migrated database: the Postgres server in BENCH/TEST/DATABASE_URL if set, else in-memory PGlite. */
export async function openBenchDb(schema: string): Promise<{ db: Db; kind: string; close(): Promise<void> }> {
  const url = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || process.env.DATABASE_URL;
  if (!url) {
    const db = await openPgliteDb(null);
    await migrate(db);
    return { db, kind: 'PGlite (in memory)', close: () => db.close() };
  }
  const admin = openPgDb({ connectionString: url, max: 1 });
  await admin.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema}`);
  const db = openPgDb({ connectionString: url, schema, max: 40 });
  await migrate(db);
  return {
    db,
    kind: `Postgres (${new URL(url).host})`,
    close: async () => {
      await db.close();
      await admin.exec(`DROP SCHEMA ${schema} CASCADE`);
      await admin.close();
    },
  };
}

export const seconds = (ms: number) => ms / 1000;
