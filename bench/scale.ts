// npm run bench:scale — the service at 10,000, 100,000 and 1,000,000 items (issue 12). At each step
// a Postgres schema is seeded as the service would leave it (bench/scale-seed.ts), then measured:
// every feed, API and page route with a cold response cache and the plans of its queries, a flood
// of uncached requests against the real service, the worker's story assignment, catch-up, topic
// recount, retention prune and recluster. The flood is measured on the embedded database too, at
// BENCH_PGLITE_ITEMS. Each figure is printed beside its target; ratios between steps matter more
// than absolutes on a shared machine.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openPgDb, openPgliteDb, type Db } from '../src/store/db/db.js';
import { migrate } from '../src/store/migrations.js';
import { recountTopics } from '../src/store/story-topics.js';
import { printTable } from './lib.js';
import { measureFlood, type FloodResult } from './scale-flood.js';
import { measureRoutes, routeSamples, type RouteResult } from './scale-routes.js';
import { defaultShape, seedScale } from './scale-seed.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const STEPS = (process.env.BENCH_STEPS ?? '10000,100000,1000000').split(',').map(Number);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 100);
const FLOOD_SECONDS = Number(process.env.BENCH_FLOOD_SECONDS ?? 10);
const PGLITE_ITEMS = Number(process.env.BENCH_PGLITE_ITEMS ?? 10_000);
const RECLUSTER_CAP_S = Number(process.env.BENCH_RECLUSTER_CAP ?? 900);
// Each worker measurement runs in a child process stopped at its cap: the current writer's prune and
// recluster at a million items can run for hours.
const ASSIGN_CAP_S = Number(process.env.BENCH_ASSIGN_CAP ?? 900);
const PRUNE_CAP_S = Number(process.env.BENCH_PRUNE_CAP ?? 300);
// BENCH_ROUTES_ONLY=1: each step seeded and its routes measured, nothing else (the worker, flood and
// upkeep steps take most of a run at 100,000 items and more).
const ROUTES_ONLY = process.env.BENCH_ROUTES_ONLY === '1';
const SCHEMA = 'bench_scale';

const TARGET = {
  routeMs: 50,
  growth: 1.5,
  floodMs: 100,
  assignPerS: 2000,
  perItemGrowth: 2,
  reclusterS: 600,
  catchUpMs: 2000,
  rssMb: 300,
  pruneS: 10,
  lockS: 1,
};

const ok = (met: boolean): string => (met ? 'met' : 'not met');
const fmt = (n: number, digits = 1): string =>
  Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: digits }) : '—';

interface WorkerFigures {
  catchUpMs: number;
  catchUpRssMb: number;
  idleMs: number;
  assignPerS: number;
  usPerItem: number;
  peakRssMb: number;
}

interface StepFigures {
  items: number;
  routes: RouteResult[];
  flood: FloodResult;
  worker: WorkerFigures;
  recountS: number;
  prune: { s: number; items: number; finished: boolean };
  recluster: { s: number; done: number; total: number; finished: boolean; rssMb: number };
}

/** A child process of scale-worker.ts; its JSON lines, killed after capSeconds if given. */
function runWorker(
  env: Record<string, string>,
  args: string[],
  capSeconds?: number,
): Promise<Array<Record<string, number | boolean>>> {
  const { DATABASE_URL: _d, ...rest } = process.env;
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(HERE, 'scale-worker.ts'), ...args], {
    env: { ...rest, LOG_LEVEL: 'silent', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines: Array<Record<string, number | boolean>> = [];
  let buffered = '';
  child.stdout!.on('data', (d: Buffer) => {
    buffered += d.toString();
    const parts = buffered.split('\n');
    buffered = parts.pop()!;
    for (const p of parts) if (p.startsWith('{')) lines.push(JSON.parse(p) as Record<string, number | boolean>);
  });
  const timer = capSeconds ? setTimeout(() => child.kill('SIGKILL'), capSeconds * 1000) : null;
  return new Promise((resolve) =>
    child.once('exit', () => {
      if (timer) clearTimeout(timer);
      resolve(lines);
    }),
  );
}

// A child stopped at its cap leaves its statement running on the server unless the server checks
// the connection while the statement runs.
function schemaUrl(base: string): string {
  const url = new URL(base);
  url.searchParams.set('options', `-c search_path=${SCHEMA} -c client_connection_check_interval=1000`);
  return url.toString();
}

async function measureWorker(env: Record<string, string>): Promise<WorkerFigures> {
  const lines = await runWorker(env, ['assign', '10000'], ASSIGN_CAP_S);
  const get = (key: string): number => Number(lines.find((l) => key in l)?.[key] ?? NaN);
  const assignS = get('assignMs') / 1000;
  return {
    catchUpMs: get('catchUpMs'),
    catchUpRssMb: get('catchUpRssMb'),
    idleMs: get('idleMs'),
    assignPerS: get('assigned') / assignS,
    usPerItem: (assignS * 1e6) / get('assigned'),
    peakRssMb: get('peakRssMb'),
  };
}

async function measureRecluster(env: Record<string, string>): Promise<StepFigures['recluster']> {
  const started = Date.now();
  const lines = await runWorker(env, ['recluster'], RECLUSTER_CAP_S);
  const last = lines.at(-1) ?? {};
  const finished = last.finished === true;
  return {
    s: finished ? Number(last.ms) / 1000 : (Date.now() - started) / 1000,
    done: Number(last.done ?? last.items ?? 0),
    total: Number(last.total ?? last.items ?? 0),
    finished,
    rssMb: Math.max(0, ...lines.map((l) => Number(l.rssMb ?? 0))),
  };
}

async function timedSeconds<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const value = await fn();
  return [value, (performance.now() - start) / 1000];
}

/** Prunes the oldest day of items (in a child process, stopped at its cap). */
async function measurePrune(env: Record<string, string>): Promise<StepFigures['prune']> {
  const started = Date.now();
  const lines = await runWorker(env, ['prune'], PRUNE_CAP_S);
  const done = lines.find((l) => 'pruned' in l);
  return done
    ? { s: Number(done.ms) / 1000, items: Number(done.pruned), finished: true }
    : { s: (Date.now() - started) / 1000, items: 0, finished: false };
}

async function freshSchema(base: string): Promise<Db> {
  const admin = openPgDb({ connectionString: base, max: 1 });
  await admin.exec(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE; CREATE SCHEMA ${SCHEMA}`);
  await admin.close();
  const db = openPgDb({ connectionString: base, schema: SCHEMA, max: 20 });
  await migrate(db);
  return db;
}

type RouteStep = Pick<StepFigures, 'items' | 'routes'>;

/** A fresh schema seeded with `items`, and its routes measured and printed. */
async function runRoutes(
  base: string,
  items: number,
  previous: RouteStep | null,
): Promise<{ db: Db; step: RouteStep }> {
  const db = await freshSchema(base);
  const seeded = await seedScale(db, defaultShape(items));
  console.log(
    `\n${items.toLocaleString('en-US')} items: seeded ${seeded.stories.toLocaleString('en-US')} stories, ${seeded.topics.toLocaleString('en-US')} topics, ${seeded.storyTopics.toLocaleString('en-US')} story-topic rows in ${seeded.seconds.toFixed(0)} s`,
  );
  const routes = await measureRoutes(db, await routeSamples(db), REQUESTS);
  printRoutes(items, routes, previous);
  return { db, step: { items, routes } };
}

const printLoad = (): void =>
  console.log(
    `\n${os.cpus().length} CPUs, load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' / ')} (1/5/15 min) at the end of the run.`,
  );

async function dropSchema(base: string): Promise<void> {
  const admin = openPgDb({ connectionString: base, max: 1 });
  await admin.exec(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
  await admin.close();
}

async function runStep(base: string, items: number, previous: StepFigures | null): Promise<StepFigures> {
  const { db, step } = await runRoutes(base, items, previous);
  const routes = step.routes;
  const env = { DATABASE_URL: schemaUrl(base) };
  const flood = await measureFlood({ ...env, RENDER_RATE_LIMIT: '0' }, FLOOD_SECONDS);
  const worker = await measureWorker(env);
  const [, recountS] = await timedSeconds(() => recountTopics(db));
  await db.close();
  const prune = await measurePrune(env);
  const recluster = await measureRecluster(env);
  return { items, routes, flood, worker, recountS, prune, recluster };
}

async function pgliteFlood(items: number): Promise<FloodResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'storyline-scale-'));
  try {
    const db = await openPgliteDb(path.join(dir, 'pglite'));
    await migrate(db);
    await seedScale(db, defaultShape(items));
    await db.close();
    return await measureFlood({ DATA_DIR: dir, RENDER_RATE_LIMIT: '0' }, FLOOD_SECONDS);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const growthOf = (r: RouteResult, previous: RouteStep | null): number => {
  const before = previous?.routes.find((p) => p.label === r.label);
  return before ? r.p99 / before.p99 : NaN;
};

function printRoutes(items: number, routes: RouteResult[], previous: RouteStep | null): void {
  printTable(
    `Routes at ${items.toLocaleString('en-US')} items: cold response cache, ${REQUESTS} requests each (routes taking turns), one client${previous ? ` (growth: p99 against ${previous.items.toLocaleString('en-US')} items)` : ''}`,
    [
      'route',
      'p50 ms',
      'p99 ms',
      'growth',
      'bytes',
      'db ms',
      'plan',
      `p99 < ${TARGET.routeMs} ms${previous ? `, growth ≤ ${TARGET.growth}×` : ''}`,
    ],
    routes.map((r) => {
      const growth = growthOf(r, previous);
      return [
        r.label,
        fmt(r.p50),
        fmt(r.p99),
        previous ? `${fmt(growth, 2)}×` : '—',
        r.bytes,
        fmt(r.dbMs),
        r.plan,
        ok(r.p99 < TARGET.routeMs && (!previous || growth <= TARGET.growth)),
      ];
    }),
  );
}

function printStep(s: StepFigures, first: StepFigures | null): void {
  const label = s.items.toLocaleString('en-US');
  const w = s.worker;
  const perItemGrowth = first ? w.usPerItem / first.worker.usPerItem : NaN;
  const rc = s.recluster;
  printTable(
    `Worker, flood and upkeep at ${label} items`,
    ['figure', 'value', 'target', 'met'],
    [
      [
        'flood: /healthz p99 under 64 connections of distinct uncached requests',
        `${fmt(s.flood.healthzP99)} ms`,
        `< ${TARGET.floodMs} ms`,
        ok(s.flood.healthzP99 < TARGET.floodMs),
      ],
      [
        'flood: cached /feed.xml p99 meanwhile',
        `${fmt(s.flood.cachedP99)} ms`,
        `< ${TARGET.floodMs} ms`,
        ok(s.flood.cachedP99 < TARGET.floodMs),
      ],
      [
        'flood: the service’s event-loop delay meanwhile, p99 / max',
        `${fmt(s.flood.loopP99)} / ${fmt(s.flood.loopMax)} ms`,
        '—',
        '—',
      ],
      [
        'flood: uncached requests answered, refused (503), socket errors',
        `${fmt(s.flood.floodRps)}/s, ${s.flood.floodRefused}, ${s.flood.floodErrors}`,
        '—',
        '—',
      ],
      [
        'worker: assign 10,000 new items (stored, grouped, topics written)',
        `${fmt(w.assignPerS, 0)} items/s (${fmt(w.usPerItem, 0)} µs/item${first ? `, ${fmt(perItemGrowth, 2)}× the first step's` : ''})`,
        `≥ ${TARGET.assignPerS}/s, per item ≤ ${TARGET.perItemGrowth}× the first step's`,
        ok(w.assignPerS >= TARGET.assignPerS && (!first || perItemGrowth <= TARGET.perItemGrowth)),
      ],
      [
        'worker: fresh worker catch-up before it can assign',
        `${fmt(w.catchUpMs, 0)} ms, ${fmt(w.catchUpRssMb, 0)} MB`,
        `< ${TARGET.catchUpMs} ms`,
        ok(w.catchUpMs < TARGET.catchUpMs),
      ],
      ['worker: pass with nothing new', `${fmt(w.idleMs, 0)} ms`, 'no catch-up work', ok(w.idleMs < 50)],
      [
        'worker: peak resident memory (catch-up and assignment)',
        `${fmt(w.peakRssMb, 0)} MB`,
        `< ${TARGET.rssMb} MB`,
        ok(w.peakRssMb < TARGET.rssMb),
      ],
      [
        'worker: full topic recount (for reference: batches now move only the counts they change)',
        `${fmt(s.recountS, 2)} s`,
        '—',
        '—',
      ],
      [
        'upkeep: prune the oldest day',
        s.prune.finished
          ? `${fmt(s.prune.s, 2)} s for ${s.prune.items.toLocaleString('en-US')} items, one transaction under the story lock`
          : `stopped at the ${PRUNE_CAP_S} s cap`,
        `< ${TARGET.pruneS} s, lock ≤ ${TARGET.lockS} s`,
        ok(s.prune.finished && s.prune.s < TARGET.pruneS && s.prune.s <= TARGET.lockS),
      ],
      [
        'recluster',
        rc.finished
          ? `${fmt(rc.s, 0)} s, ${fmt(rc.rssMb, 0)} MB`
          : `stopped at the ${RECLUSTER_CAP_S} s cap: ${rc.done.toLocaleString('en-US')} of ${rc.total.toLocaleString('en-US')} items`,
        `< ${TARGET.reclusterS} s at 1M`,
        ok(rc.finished && rc.s < TARGET.reclusterS),
      ],
    ],
  );
}

function printGrowth(steps: RouteStep[]): void {
  if (steps.length < 2) return;
  const [a, b] = steps.slice(-2) as [RouteStep, RouteStep];
  printTable(
    `Growth table: p99 ms with a cold cache at each step; ratio ${a.items.toLocaleString('en-US')} → ${b.items.toLocaleString('en-US')}`,
    ['route', ...steps.map((s) => s.items.toLocaleString('en-US')), 'ratio', 'met'],
    b.routes.map((r) => {
      const before = a.routes.find((x) => x.label === r.label)!;
      const ratio = r.p99 / before.p99;
      return [
        r.label,
        ...steps.map((s) => fmt(s.routes.find((x) => x.label === r.label)?.p99 ?? NaN)),
        `${fmt(ratio, 2)}×`,
        ok(r.p99 < TARGET.routeMs && ratio <= TARGET.growth),
      ];
    }),
  );
}

async function main(): Promise<void> {
  const base = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || process.env.DATABASE_URL;
  if (!base) {
    console.error(
      'bench:scale needs a Postgres server: set BENCH_DATABASE_URL (a database it may create a schema in).',
    );
    process.exitCode = 1;
    return;
  }
  if (ROUTES_ONLY) {
    const steps: RouteStep[] = [];
    for (const items of STEPS) {
      const { db, step } = await runRoutes(base, items, steps.at(-1) ?? null);
      await db.close();
      steps.push(step);
    }
    printGrowth(steps);
    await dropSchema(base);
    printLoad();
    return;
  }
  const steps: StepFigures[] = [];
  for (const items of STEPS) {
    const step = await runStep(base, items, steps.at(-1) ?? null);
    printStep(step, steps[0] ?? null);
    steps.push(step);
  }
  printGrowth(steps);
  const flood = await pgliteFlood(PGLITE_ITEMS);
  printTable(
    `Flood on the embedded database (PGlite), ${PGLITE_ITEMS.toLocaleString('en-US')} items, ${FLOOD_SECONDS} s`,
    ['figure', 'value', 'target', 'met'],
    [
      [
        '/healthz p99 under 64 connections of distinct uncached requests',
        `${fmt(flood.healthzP99)} ms`,
        `< ${TARGET.floodMs} ms`,
        ok(flood.healthzP99 < TARGET.floodMs),
      ],
      [
        'cached /feed.xml p99 meanwhile',
        `${fmt(flood.cachedP99)} ms`,
        `< ${TARGET.floodMs} ms`,
        ok(flood.cachedP99 < TARGET.floodMs),
      ],
      [
        'the service’s event-loop delay meanwhile, p99 / max',
        `${fmt(flood.loopP99)} / ${fmt(flood.loopMax)} ms`,
        '—',
        '—',
      ],
      [
        'uncached requests answered, refused (503), socket errors',
        `${fmt(flood.floodRps)}/s, ${flood.floodRefused}, ${flood.floodErrors}`,
        '—',
        '—',
      ],
    ],
  );
  await dropSchema(base);
  printLoad();
}

await main();
