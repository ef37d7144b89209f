// npm run bench:serve — 20,000 stored items in 3,000 stories; wrk with 64 connections on /feed.xml,
// /feed.json, /api/stories and /, each next to the same server sending a fixed byte string of the
// same size from memory (the ceiling), measured in the same run.
import { execFile } from 'node:child_process';
import http from 'node:http';
import os from 'node:os';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { loadConfig } from '../src/config.js';
import { createSilentLogger } from '../src/log.js';
import { createMetrics } from '../src/metrics.js';
import { createApp } from '../src/server/app.js';
import type { Db } from '../src/store/db/db.js';
import { openBenchDb, printTable } from './lib.js';

const run = promisify(execFile);
const ITEMS = Number(process.env.BENCH_ITEMS ?? 20_000);
const STORIES = Number(process.env.BENCH_STORIES ?? 3_000);
const OUTLETS = 60;
const TOPICS = 200;
const DURATION = process.env.BENCH_DURATION ?? '5s';
// Served and fixed runs alternate, and the median of the rounds is reported: on a shared machine one
// run alone says more about its neighbours than about the server.
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const ROUTES = ['/feed.xml', '/feed.json', '/api/stories', '/'];

// Set-based seeding: realistic lengths (headline ~70 characters, summary ~150), spread over a week.
const SEED = [
  `INSERT INTO outlets (name, site) SELECT 'Outlet ' || g, 'https://outlet' || g || '.example/' FROM generate_series(1, ${OUTLETS}) g`,
  `INSERT INTO feeds (url, outlet_id, title, last_fetched_at, last_success_at, last_status)
   SELECT 'https://outlet' || g || '.example/feed.xml', g, 'Outlet ' || g || ' top stories', now(), now(), 200 FROM generate_series(1, ${OUTLETS}) g`,
  `INSERT INTO stories (headline, summary, first_seen_at, last_seen_at, updated_at)
   SELECT 'Officials in region ' || s || ' respond as talks on trade and security continue',
          'Leaders met on ' || s || ' to discuss the next steps; several outlets report differing accounts of what was agreed and what comes next.',
          timestamptz '2025-05-05' + s * interval '3 minutes', timestamptz '2025-05-05' + s * interval '3 minutes', now()
   FROM generate_series(1, $1::int) s`,
  `INSERT INTO items (feed_id, item_key, url, canonical_url, title, summary, published_at, content_hash, story_id, changed_at)
   SELECT 1 + i % ${OUTLETS}, 'bench-' || i, 'https://outlet' || (1 + i % ${OUTLETS}) || '.example/news/' || i, NULL,
          'Outlet ' || (1 + i % ${OUTLETS}) || ' reports development ' || i || ' in the story about region ' || (1 + i % $2::int),
          'Summary of article ' || i || ': officials said talks would continue next week, with more details expected soon.',
          timestamptz '2025-05-05' + (1 + i % $2::int) * interval '3 minutes' + (i / $2::int) * interval '1 second', 'h', 1 + i % $2::int, now()
   FROM generate_series(0, $1::int - 1) i`,
  `UPDATE stories s SET representative_item_id = x.first_id, item_count = x.n, outlet_count = x.outlets, first_seen_at = x.first_at, last_seen_at = x.last_at
   FROM (SELECT story_id, min(id) AS first_id, count(*) AS n, count(DISTINCT feed_id) AS outlets, min(published_at) AS first_at, max(published_at) AS last_at
         FROM items GROUP BY story_id) x WHERE x.story_id = s.id`,
  `INSERT INTO story_assignments (item_id, story_id, reason, score) SELECT id, story_id, 'similar', 0.5 FROM items`,
  `INSERT INTO topics (slug, name, kind) SELECT 'topic-' || t, 'Topic ' || t, 'theme' FROM generate_series(1, ${TOPICS}) t`,
  `INSERT INTO story_topics (story_id, topic_id, weight) SELECT s.id, 1 + (s.id * k) % ${TOPICS}, 1.0 / k FROM stories s, generate_series(1, 3) k ON CONFLICT DO NOTHING`,
];

async function seed(db: Db): Promise<void> {
  for (const [i, sql] of SEED.entries()) await db.query(sql, i === 2 ? [STORIES] : i === 3 ? [ITEMS, STORIES] : []);
}

interface WrkResult {
  rps: number;
  p50: number;
  p99: number;
  errors: string;
}

const UNIT_MS: Record<string, number> = { us: 0.001, ms: 1, s: 1000 };
const latency = (out: string, pct: string): number => {
  const m = new RegExp(`^\\s*${pct}%\\s+([\\d.]+)(us|ms|s)\\s*$`, 'm').exec(out);
  return m ? Number(m[1]) * UNIT_MS[m[2]!]! : NaN;
};

async function wrk(url: string, duration = DURATION): Promise<WrkResult> {
  const { stdout } = await run('wrk', ['-t2', '-c64', `-d${duration}`, '--latency', url], { maxBuffer: 1 << 20 });
  const errors = /(Non-2xx or 3xx responses: \d+|Socket errors: .*)/.exec(stdout)?.[1] ?? '';
  return {
    rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(stdout)?.[1]),
    p50: latency(stdout, '50'),
    p99: latency(stdout, '99'),
    errors,
  };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Alternating rounds of the route and its fixed-bytes twin; medians of each. */
async function compare(route: string, fixedRoute: string): Promise<{ served: WrkResult; ceiling: WrkResult }> {
  const served: WrkResult[] = [];
  const ceiling: WrkResult[] = [];
  // Warm-up, not counted: the first second of load also measures the JIT compiling the request path.
  await wrk(route, '2s');
  await wrk(fixedRoute, '2s');
  for (let r = 0; r < ROUNDS; r += 1) {
    served.push(await wrk(route));
    ceiling.push(await wrk(fixedRoute));
  }
  const summary = (runs: WrkResult[]): WrkResult => ({
    rps: median(runs.map((x) => x.rps)),
    p50: median(runs.map((x) => x.p50)),
    p99: median(runs.map((x) => x.p99)),
    errors: runs
      .map((x) => x.errors)
      .filter(Boolean)
      .join('; '),
  });
  return { served: summary(served), ceiling: summary(ceiling) };
}

async function main(): Promise<void> {
  try {
    await run('wrk', ['--version']).catch((e: { stdout?: string }) => {
      if (!e.stdout?.includes('wrk')) throw e;
    });
  } catch {
    console.error('bench:serve needs wrk (apt-get install wrk); not run.');
    process.exitCode = 1;
    return;
  }
  const { db, kind, close } = await openBenchDb('bench_serve');
  const t0 = Date.now();
  await seed(db);
  const seeded = Date.now() - t0;
  const app = createApp({
    db,
    config: loadConfig({ PORT: '0' }),
    metrics: createMetrics(),
    logger: createSilentLogger(),
  });
  // The ceiling: the same server (process, port, connections) answering with fixed bytes from memory,
  // straight from Node's handler; every other URL goes to the app exactly as in production.
  const fixed = new Map<string, { body: Buffer; type: string }>();
  const handler = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    const f = req.url?.startsWith('/__fixed/') ? fixed.get(req.url.slice(9)) : undefined;
    if (!f) return void app(req, res);
    res.writeHead(200, { 'Content-Type': f.type, 'Content-Length': f.body.length }).end(f.body);
  };
  const server = http.createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const rows: Array<Array<string | number>> = [];
  for (const [i, route] of ROUTES.entries()) {
    const first = await fetch(`${origin}${route}`, { headers: { 'accept-encoding': 'identity' } });
    const body = Buffer.from(await first.arrayBuffer());
    fixed.set(String(i), { body, type: first.headers.get('content-type') ?? 'text/plain' });
    const { served, ceiling } = await compare(`${origin}${route}`, `${origin}/__fixed/${i}`);
    rows.push([
      route,
      body.length,
      served.rps,
      served.p50,
      served.p99,
      ceiling.rps,
      ceiling.p99,
      `${Math.round((served.rps / ceiling.rps) * 100)}%`,
      served.errors || ceiling.errors || '—',
    ]);
  }
  printTable(
    `bench:serve — ${ITEMS.toLocaleString('en-US')} items in ${STORIES.toLocaleString('en-US')} stories on ${kind} (seeded in ${(seeded / 1000).toFixed(1)} s); wrk -t2 -c64 -d${DURATION}, identity encoding, median of ${ROUNDS} alternating rounds`,
    ['route', 'bytes', 'req/s', 'p50 ms', 'p99 ms', 'fixed-bytes req/s', 'fixed p99 ms', 'of ceiling', 'errors'],
    rows,
  );
  // The machine's load says how much the latencies above owe to other work on it.
  console.log(
    `\n${os.cpus().length} CPUs, load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' / ')} (1/5/15 min) at the end of the run.`,
  );
  console.log('Target: the combined feed at ≥ 50% of the fixed-bytes ceiling, p99 under 50 ms.');
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
  await close();
}

await main();
