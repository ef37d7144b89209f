// npm run torture — every hostile document and server of the catalogue (tests/helpers/hostile.ts)
// through the real service, run as a child process (`storyline start`, RUN=worker,server) into a
// real database, with two control feeds refetched all along. Prints, per case: the outcome its first
// fetch recorded on the feed, the time it took, the worker's peak memory so far, and whether the
// control feeds still updated afterwards. Baseline, same run: the service with the control feeds only.
// Exits non-zero when a case is not handled as the catalogue expects or the peak reaches 300 MB.
//
// Database: PGlite in a temporary DATA_DIR, or a fresh schema on TEST_DATABASE_URL / DATABASE_URL.
// The service runs compiled, as deployed (TORTURE_RUNTIME=tsx runs the sources through tsx instead);
// TORTURE_ENV='{"FETCH_CONCURRENCY":"2"}' overrides settings of the service.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Db } from '../src/store/db/db.js';
import {
  HOSTILE_CASES,
  describeMismatch,
  hostileOpml,
  startHostileServer,
  type HostileCase,
  type HostileServer,
} from '../tests/helpers/hostile.js';
import { formatNumber, printTable } from './lib.js';
import {
  SERVICE_ENV,
  buildService,
  openStore,
  runService,
  type MemorySample,
  type ServiceRun,
  type Store,
} from './torture-service.js';

const MEMORY_LIMIT_MB = 300;

interface FirstFetch {
  feed_id: number;
  url: string;
  state: string;
  outcome: string;
  error_kind: string | null;
  error_message: string | null;
  duration_ms: number;
  started_at: Date;
  items: number;
}

// Each feed's first fetch: the outcome the pass recorded on it (later retries do not count).
const FIRST_FETCHES = `
SELECT DISTINCT ON (l.feed_id) l.feed_id, f.url, f.state, l.outcome, l.error_kind, l.error_message, l.duration_ms, l.started_at,
  (SELECT count(*)::int FROM items i WHERE i.feed_id = f.id) AS items
FROM fetch_log l JOIN feeds f ON f.id = l.feed_id
ORDER BY l.feed_id, l.id`;

const CONTROL_SUCCESSES = `SELECT f.url, l.started_at FROM fetch_log l JOIN feeds f ON f.id = l.feed_id WHERE l.outcome = 'ok' AND f.url = ANY($1::text[])`;

interface Row {
  c: HostileCase;
  first: FirstFetch | undefined;
  verdict: string | null;
  controls: boolean;
  hwmMb: number;
  /** From the case's first request reaching its server (or the fetch's start) to its outcome being recorded. */
  ms: number | null;
}

async function judge(db: Db, server: HostileServer, samples: MemorySample[]): Promise<Row[]> {
  const firsts = new Map((await db.query<FirstFetch>(FIRST_FETCHES)).rows.map((r) => [r.url, r]));
  const controlUrls = server.controls.map((c) => c.url);
  const controlIds = controlUrls.map((u) => firsts.get(u)?.feed_id ?? -1);
  const successes = (await db.query<{ url: string; started_at: Date }>(CONTROL_SUCCESSES, [controlUrls])).rows;
  const rows: Row[] = [];
  for (const c of HOSTILE_CASES) {
    const first = firsts.get(new URL(server.feedUrl(c)).href);
    const finishedAt = first ? first.started_at.getTime() + first.duration_ms : Date.now();
    const controls =
      !!first && controlUrls.every((u) => successes.some((s) => s.url === u && s.started_at >= first.started_at));
    const hwmMb = samples.filter((s) => s.at <= finishedAt + 100).at(-1)?.hwmMb ?? 0;
    // fetch_log's duration includes the wait for a fetch slot; the first request is when the case itself began.
    const firstHit = server.hitsOf(c)[0]?.at;
    const ms = first
      ? finishedAt - (firstHit !== undefined && firstHit < finishedAt ? firstHit : first.started_at.getTime())
      : null;
    rows.push({
      c,
      first,
      controls,
      hwmMb,
      ms,
      verdict: first ? await verdictOf(c, first, db, server, controlIds) : 'never fetched',
    });
  }
  return rows;
}

/** null when the case was handled as the catalogue says; otherwise what went wrong. */
async function verdictOf(
  c: HostileCase,
  f: FirstFetch,
  db: Db,
  server: HostileServer,
  controlFeedIds: number[],
): Promise<string | null> {
  const status = f.outcome === 'error' ? (f.state === 'gone' ? 'gone' : 'failing') : 'ok';
  const mismatch = describeMismatch(c, { status, errorKind: f.error_kind, error: f.error_message, items: f.items });
  if (mismatch) return mismatch;
  try {
    await c.check?.({ db, feedId: f.feed_id, controlFeedIds, server });
    return null;
  } catch (err) {
    return `check failed: ${(err as Error).message.split('\n')[0]}`;
  }
}

const shortOutcome = (f: FirstFetch | undefined): string => {
  if (!f) return '—';
  if (f.outcome !== 'error') return `${f.outcome}, ${f.items} items`;
  const message = (f.error_message ?? '').replace(/ \((?:https?|file|ftp|gopher|data):[^)]*\)/g, '');
  return `[${f.error_kind}] ${message.length > 72 ? `${message.slice(0, 71)}…` : message}`;
};

async function main(): Promise<number> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'storyline-torture-'));
  const server = await startHostileServer();
  const stores: Store[] = [];
  try {
    const entry = process.env.TORTURE_RUNTIME === 'tsx' ? null : buildService(dir);
    const baselineStore = await openStore('baseline', dir);
    stores.push(baselineStore);
    const controlsOnly = path.join(dir, 'controls.opml');
    fs.writeFileSync(controlsOnly, hostileOpml(server, []));
    const baseline = await runService(entry, baselineStore, controlsOnly, server);

    const store = await openStore('torture', dir);
    stores.push(store);
    const sources = path.join(dir, 'sources.opml');
    fs.writeFileSync(sources, hostileOpml(server));
    const how = entry
      ? 'node bin/storyline.js (compiled by tsc, as the Docker image runs it)'
      : 'tsx (TypeScript sources)';
    console.log(
      `torture: ${HOSTILE_CASES.length} cases and ${server.controls.length} control feeds on ${store.kind}, service run by ${how}; settings ${JSON.stringify(SERVICE_ENV)}`,
    );
    const run = await runService(entry, store, sources, server);
    const db = await store.open();
    const rows = await judge(db, server, run.samples).finally(() => db.close());
    return report(rows, run, baseline, server, store.kind);
  } finally {
    await server.close();
    for (const s of stores) await s.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function report(rows: Row[], run: ServiceRun, baseline: ServiceRun, server: HostileServer, kind: string): number {
  printTable(
    'Hostile cases through the worker (first fetch of each feed)',
    [
      'case',
      'group',
      'expected',
      'outcome recorded on the feed',
      'time ms',
      'worker peak MB',
      'controls updated',
      'handled',
    ],
    rows.map((r) => [
      r.c.name,
      r.c.group,
      r.c.expect === 'error' ? `${r.c.errorKind} error` : 'items',
      shortOutcome(r.first),
      r.ms ?? '—',
      Math.round(r.hwmMb),
      r.controls ? 'yes' : 'NO',
      r.verdict ? `NO: ${r.verdict}` : 'yes',
    ]),
  );
  printTable(
    'Worker memory and time',
    ['run', 'feeds', 'peak RSS MB (VmHWM)', 'pass s'],
    [
      [
        'baseline: control feeds only',
        server.controls.length,
        Math.round(baseline.peakMb),
        formatNumber(baseline.passMs / 1000),
      ],
      [
        'torture: every case + controls',
        rows.length + server.controls.length,
        Math.round(run.peakMb),
        formatNumber(run.passMs / 1000),
      ],
    ],
  );
  const leaks = server.leaks();
  const failures = [
    ...rows.filter((r) => r.verdict).map((r) => `${r.c.name}: ${r.verdict}`),
    ...rows.filter((r) => r.first && !r.controls).map((r) => `${r.c.name}: the control feeds did not update after it`),
    ...(run.peakMb >= MEMORY_LIMIT_MB
      ? [`worker peak memory ${Math.round(run.peakMb)} MB ≥ ${MEMORY_LIMIT_MB} MB`]
      : []),
    ...leaks.map((h) => `request reached ${h.server} ${h.path}`),
  ];
  console.log(
    `\nerror log lines from the worker: ${run.errorLines.length}${run.errorLines.length ? `\n  ${run.errorLines.slice(0, 5).join('\n  ')}` : ''}`,
  );
  console.log(`requests to private addresses or leak paths: ${leaks.length}`);
  console.log(
    `GET /api/feeds failures while the pass ran (the API shares the worker's process): ${run.apiFailures.length}${run.apiFailures.length ? ` (${[...new Set(run.apiFailures)].join('; ')})` : ''}`,
  );
  console.log(
    `time ms: from the case's first request reaching its server (else the start of its fetch) to its outcome being recorded; "worker peak MB": VmHWM of the service process when that case finished.`,
  );
  if (baseline.peakMb >= MEMORY_LIMIT_MB)
    console.log(
      `note: the baseline, with no hostile case, already peaks at ${Math.round(baseline.peakMb)} MB: the ${kind} database lives in the worker's process.`,
    );
  if (failures.length === 0) {
    console.log(
      `\nall ${rows.length} cases handled; worker peak ${Math.round(run.peakMb)} MB (< ${MEMORY_LIMIT_MB} MB)`,
    );
    return 0;
  }
  console.log(`\n${failures.length} failure(s):\n  ${failures.join('\n  ')}`);
  return 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
