// Every feed, API and page route of the real app, each request rendered with a cold response cache
// (the cache dropped before it, as after a worker pass that wrote), one client at a time; and the
// plans of the queries one request of each route made.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../src/config.js';
import { createSilentLogger } from '../src/log.js';
import { createMetrics } from '../src/metrics.js';
import { createApp, createResponseCache } from '../src/server/app.js';
import type { Db } from '../src/store/db/db.js';
import { explainQuery, recordingDb } from './query-plans.js';

export interface RouteSample {
  label: string;
  /** Paths requested in turn (ids vary, so one row's pages are not all the test). */
  paths: string[];
}

export interface RouteResult {
  label: string;
  p50: number;
  p99: number;
  bytes: number;
  /** Database time of one request's queries, from EXPLAIN ANALYZE. */
  dbMs: number;
  plan: string;
}

/** The routes measured: each route of the service, plus the filters a reader uses most. */
export async function routeSamples(db: Db): Promise<RouteSample[]> {
  const largest = (
    await db.query<{ id: number }>(
      'SELECT id FROM stories WHERE merged_into IS NULL ORDER BY item_count DESC, id LIMIT 1',
    )
  ).rows[0]!.id;
  const recent = (
    await db.query<{ id: number }>(
      'SELECT id FROM stories WHERE merged_into IS NULL ORDER BY last_seen_at DESC, id DESC LIMIT 20',
    )
  ).rows.map((r) => r.id);
  const top = (await db.query<{ slug: string }>('SELECT slug FROM topics ORDER BY story_count DESC, slug LIMIT 1'))
    .rows[0]!.slug;
  const mid = (
    await db.query<{ slug: string }>(
      'SELECT slug FROM topics WHERE story_count <= 2000 ORDER BY story_count DESC, slug LIMIT 1',
    )
  ).rows[0]!.slug;
  const rare =
    (await db.query<{ slug: string }>('SELECT slug FROM topics WHERE story_count = 2 ORDER BY slug LIMIT 1')).rows[0]
      ?.slug ?? mid;
  const outlet = (
    await db.query<{ name: string }>(
      "SELECT o.name FROM outlets o JOIN feeds f ON f.outlet_id = o.id WHERE o.name <> 'Google News' GROUP BY o.id ORDER BY sum(f.item_count) DESC LIMIT 1",
    )
  ).rows[0]!.name;
  const lines = (
    await db.query<{ id: number }>(
      'SELECT id FROM storylines WHERE merged_into IS NULL AND story_count > 1 ORDER BY last_seen_at DESC, id DESC LIMIT 20',
    )
  ).rows.map((r) => r.id);
  const longest = (
    await db.query<{ id: number }>(
      'SELECT id FROM storylines WHERE merged_into IS NULL ORDER BY story_count DESC, id LIMIT 1',
    )
  ).rows[0]!.id;
  const one = (label: string, path: string): RouteSample => ({ label, paths: [path] });
  const storyPaths = (prefix: string) => recent.map((id) => `${prefix}${id}`);
  const storylinePaths = (prefix: string) => lines.map((id) => `${prefix}${id}`);
  return [
    one('/feed.xml', '/feed.xml'),
    one('/feed.atom', '/feed.atom'),
    one('/feed.json', '/feed.json'),
    one('/feed.xml?limit=200', '/feed.xml?limit=200'),
    one('/feed.json?view=items', '/feed.json?view=items'),
    one(`/topics/{top topic}/feed.xml`, `/topics/${top}/feed.xml`),
    one(`/topics/{rare topic}/feed.atom`, `/topics/${rare}/feed.atom`),
    one('/feed.xml?min_sources=3', '/feed.xml?min_sources=3'),
    one('/api/stories', '/api/stories'),
    one('/api/stories?topic={mid topic}', `/api/stories?topic=${mid}`),
    { label: '/api/stories/{id} (20 newest)', paths: storyPaths('/api/stories/') },
    one('/api/stories/{largest story}', `/api/stories/${largest}`),
    one('/api/storylines', '/api/storylines'),
    one('/api/storylines?topic={mid topic}', `/api/storylines?topic=${mid}`),
    { label: '/api/storylines/{id} (20 newest)', paths: storylinePaths('/api/storylines/') },
    one('/api/storylines/{longest storyline}', `/api/storylines/${longest}`),
    one('/api/items', '/api/items'),
    one('/api/items?outlet={largest outlet}', `/api/items?outlet=${encodeURIComponent(outlet)}`),
    one('/api/topics', '/api/topics'),
    one('/api/topics/{top topic}', `/api/topics/${top}`),
    one('/api/outlets', '/api/outlets'),
    one('/api/feeds', '/api/feeds'),
    one('/api/feeds.opml', '/api/feeds.opml'),
    one('/api/openapi.json', '/api/openapi.json'),
    one('/api/search?q=president trump', '/api/search?q=president%20trump'),
    one('/api/search?q=sheinbaum', '/api/search?q=sheinbaum'),
    one('/', '/'),
    one('/?q=tariffs', '/?q=tariffs'),
    one('/topics/{rare topic}', `/topics/${rare}`),
    { label: '/stories/{id} (20 newest)', paths: storyPaths('/stories/') },
    one('/stories/{largest story}', `/stories/${largest}`),
    { label: '/storylines/{id} (20 newest)', paths: storylinePaths('/storylines/') },
    one('/storylines/{longest storyline}', `/storylines/${longest}`),
    one('/storylines/{longest storyline}/feed.xml', `/storylines/${longest}/feed.xml`),
  ];
}

export const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

async function get(origin: string, path: string): Promise<{ ms: number; bytes: number; status: number }> {
  const start = performance.now();
  const res = await fetch(origin + path, { headers: { 'accept-encoding': 'identity' } });
  const body = await res.arrayBuffer();
  return { ms: performance.now() - start, bytes: body.byteLength, status: res.status };
}

/**
 * Measures each sample `requests` times with the response cache dropped before every request. The
 * samples take turns, one request each, so a busy moment of the machine falls on every route alike
 * rather than on whichever was being measured.
 */
export async function measureRoutes(db: Db, samples: RouteSample[], requests: number): Promise<RouteResult[]> {
  const recorder = recordingDb(db);
  const cache = createResponseCache();
  // No rate limit: the one client here is the benchmark itself.
  const config = loadConfig({ PORT: '0', BASE_URL: 'http://bench.example', RENDER_RATE_LIMIT: '0' });
  const app = createApp({ db: recorder.db, config, metrics: createMetrics(), logger: createSilentLogger(), cache });
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const cold = async (path: string): Promise<{ ms: number; bytes: number; status: number }> => {
    cache.invalidate();
    return get(origin, path);
  };
  try {
    // Warm-up (not counted): the JIT and the database's page cache, as in a running service.
    for (const sample of samples) for (const path of sample.paths.slice(0, 3)) await cold(path);
    const times = samples.map(() => [] as number[]);
    const bytes = samples.map(() => 0);
    for (let n = 0; n < requests; n++) {
      for (const [i, sample] of samples.entries()) {
        const r = await cold(sample.paths[n % sample.paths.length]!);
        if (r.status !== 200) throw new Error(`${sample.label}: HTTP ${r.status}`);
        times[i]!.push(r.ms);
        bytes[i] = Math.max(bytes[i]!, r.bytes);
      }
    }
    const results: RouteResult[] = [];
    for (const [i, sample] of samples.entries()) {
      recorder.take();
      await cold(sample.paths[0]!);
      let dbMs = 0;
      const problems = new Set<string>();
      for (const query of recorder.take()) {
        const report = await explainQuery(db, query);
        dbMs += report.ms;
        for (const p of report.problems) problems.add(p);
      }
      const sorted = times[i]!.sort((a, b) => a - b);
      results.push({
        label: sample.label,
        p50: percentile(sorted, 50),
        p99: percentile(sorted, 99),
        bytes: bytes[i]!,
        dbMs,
        plan: problems.size ? [...problems].join(', ') : 'no full scan or disk sort',
      });
    }
    return results;
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
