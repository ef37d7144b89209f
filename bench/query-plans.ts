// What a route asks of the database, and whether the plans stay flat as the data grows: the queries
// a request made (recorded through a wrapped Db) run again under EXPLAIN ANALYZE, and any scan of a
// whole growing table or any sort spilled to disk is reported. Used by bench:scale and by the test
// of the plans at a seeded size.
import type { Db, Queryable } from '../src/store/db/db.js';

export interface RecordedQuery {
  sql: string;
  params: readonly unknown[];
}

/** A Db that remembers every query made through it (not the ones inside transactions). */
export function recordingDb(db: Db): { db: Db; take(): RecordedQuery[] } {
  let log: RecordedQuery[] = [];
  const wrapped: Db = {
    kind: db.kind,
    query: (sql, params) => {
      log.push({ sql, params: params ?? [] });
      return db.query(sql, params);
    },
    exec: (sql) => db.exec(sql),
    transaction: (fn) => db.transaction(fn),
    close: () => db.close(),
  };
  return {
    db: wrapped,
    take: () => {
      const out = log;
      log = [];
      return out;
    },
  };
}

/** Tables that grow with the items stored; feeds and outlets stay the size of the sources list. */
export const GROWING_TABLES = new Set([
  'items',
  'stories',
  'story_assignments',
  'story_topics',
  'topics',
  'story_merges',
  'storylines',
  'fetch_log',
]);

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Sort Space Type'?: string;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  'Rows Removed by Filter'?: number;
  'Rows Removed by Index Recheck'?: number;
  Plans?: PlanNode[];
}

export interface PlanReport {
  ms: number;
  /** Whole-table scans of growing tables and sorts on disk, as "Seq Scan on items". */
  problems: string[];
  /** Heap and index rows the plan touched, summed over nodes: a size-independent plan keeps it flat. */
  rows: number;
}

export interface ExplainOptions {
  /**
   * Plan as if sequential scans cost without bound, so a small seeded table (read whole because it
   * is small) shows whether an index would serve the query once the table is large.
   */
  indexesOnly?: boolean;
  /**
   * Tables below this many rows are small whatever a plan reads of them (default SMALL_TABLE_ROWS).
   * A test at a seeded size lowers it: a plan that hashes a whole 5,000-row table there hashes a
   * whole 150,000-row one at a million items.
   */
  smallTableRows?: number;
}

/** A scan reading more than this share of a growing table reads it whole, whatever its method. */
const MOST_OF_TABLE = 0.5;
/** Below this a table is small whatever it holds: reading its index whole is not a problem of size. */
const SMALL_TABLE_ROWS = 10_000;

function walk(node: PlanNode, sizes: Map<string, number>, options: Required<ExplainOptions>, out: PlanReport): void {
  const { indexesOnly, smallTableRows } = options;
  const relation = node['Relation Name'];
  const read =
    ((node['Actual Rows'] ?? 0) +
      (node['Rows Removed by Filter'] ?? 0) +
      (node['Rows Removed by Index Recheck'] ?? 0)) *
    (node['Actual Loops'] ?? 1);
  if (relation && GROWING_TABLES.has(relation)) {
    const size = sizes.get(relation) ?? 0;
    // Priced out, a sequential scan means no index serves the query; otherwise only a large table's counts.
    if (node['Node Type'] === 'Seq Scan' && (indexesOnly || size > smallTableRows))
      out.problems.push(`Seq Scan on ${relation}`);
    else if (node['Node Type'] !== 'Seq Scan' && size > smallTableRows && read > size * MOST_OF_TABLE)
      out.problems.push(`${node['Node Type']} reading ${Math.round(read)} of ${Math.round(size)} rows of ${relation}`);
  }
  if (node['Sort Space Type'] === 'Disk') out.problems.push('Sort on disk');
  if (relation) out.rows += read;
  for (const child of node.Plans ?? []) walk(child, sizes, options, out);
}

// EXPLAIN takes no bound parameters through every driver; the values are written as literals.
function literal(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v instanceof Date) return `'${v.toISOString()}'`;
  if (Array.isArray(v)) return `ARRAY[${v.map(literal).join(', ')}]`;
  return `'${String(v).replace(/'/g, "''")}'`;
}

/** The query with $n replaced by literals (highest first, so $10 is not read as $1). */
export function inlineParams(sql: string, params: readonly unknown[]): string {
  let out = sql;
  for (let i = params.length; i >= 1; i--) out = out.replaceAll(`$${i}`, literal(params[i - 1]));
  return out;
}

const TABLE_SIZES = 'SELECT relname, reltuples::float8 AS n FROM pg_class WHERE oid = ANY($1::regclass[])';

/** Runs the query under EXPLAIN ANALYZE and reports its time, problems and rows touched. */
export async function explainQuery(db: Db, query: RecordedQuery, options: ExplainOptions = {}): Promise<PlanReport> {
  // A planner estimate (store/read/filters.ts) is itself an EXPLAIN: it reads no rows.
  if (/^\s*EXPLAIN\b/i.test(query.sql)) return { ms: 0, problems: [], rows: 0 };
  const explain = async (q: Queryable) =>
    (
      await q.query<{ 'QUERY PLAN': unknown }>(
        `EXPLAIN (ANALYZE, FORMAT JSON) ${inlineParams(query.sql, query.params)}`,
      )
    ).rows[0]!['QUERY PLAN'];
  const raw = options.indexesOnly
    ? await db.transaction(async (tx) => {
        await tx.query('SET LOCAL enable_seqscan = off');
        return explain(tx);
      })
    : await explain(db);
  const doc = (typeof raw === 'string' ? JSON.parse(raw) : raw) as Array<{ Plan: PlanNode; 'Execution Time': number }>;
  const sizes = new Map(
    (await db.query<{ relname: string; n: number }>(TABLE_SIZES, [[...GROWING_TABLES]])).rows.map((r) => [
      r.relname,
      r.n,
    ]),
  );
  const report: PlanReport = { ms: doc[0]!['Execution Time'], problems: [], rows: 0 };
  walk(
    doc[0]!.Plan,
    sizes,
    { indexesOnly: options.indexesOnly ?? false, smallTableRows: options.smallTableRows ?? SMALL_TABLE_ROWS },
    report,
  );
  return report;
}
