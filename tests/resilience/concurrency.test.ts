// Three worker processes and two API processes on one Postgres: every due feed is fetched once per
// due time, no item is stored twice or sits in two stories, and story counts add up.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, serverDatabaseUrl, type TestDb } from '../helpers/db.js';
import { rss } from '../helpers/feeds.js';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server.js';
import { mkTemp, removeDir, startStoryline, stopStoryline, writeSources, type RunningCli } from './service.js';
import { skipWithReason } from '../helpers/skip.js';
import { expectStoriesConsistent } from './stories-check.js';

const FEEDS = 16;
const INTERVAL_MS = 3000;
const RUN_MS = 15_000;

const HEADLINES = [
  'Sheinbaum rejects Trump offer to send US troops into Mexico',
  'Cardinals gather in Vatican as papal conclave begins',
  'Germany elects Friedrich Merz chancellor after a second vote',
  'India and Pakistan trade strikes across the Kashmir line of control',
  'Federal Reserve holds rates steady and warns of tariff risks',
];

/** Feed i's n-th fetch: items 1..n, each headline shared with the other feeds (so stories form). */
function growingFeed(i: number, n: number): string {
  const list = Array.from({ length: n }, (_, k) => ({
    guid: `c${i}-${k}`,
    title: `${HEADLINES[k % HEADLINES.length]!}${k >= HEADLINES.length ? ` (update ${Math.floor(k / HEADLINES.length)})` : ''}`,
    link: `https://outlet${i}.example/${k}`,
    pubDate: new Date(Date.UTC(2025, 4, 6, 8, k)).toUTCString(),
  }));
  return rss(`Outlet ${i}`, list);
}

describe('three workers and two API processes on one Postgres', () => {
  if (!serverDatabaseUrl) {
    it('shares one Postgres between processes', (t) =>
      skipWithReason(t, 'TEST_DATABASE_URL is not set (PGlite is one process): it needs a Postgres server'));
    return;
  }
  let handle: TestDb;
  let fixtures: FixtureServer;
  let dir: string;
  const hits = new Map<number, number[]>();
  const processes: RunningCli[] = [];
  beforeAll(async () => {
    handle = await openTestDb('pg');
    fixtures = await startFixtureServer();
    dir = mkTemp('storyline-concurrency-');
  });
  afterAll(async () => {
    await Promise.all(processes.map((p) => stopStoryline(p, 'SIGKILL')));
    await fixtures?.close();
    await handle?.close();
    removeDir(dir);
  });

  it('fetches each due feed once per due time, stores nothing twice and keeps stories consistent', async () => {
    const urls = Array.from({ length: FEEDS }, (_, i) => {
      hits.set(i, []);
      fixtures.set(`/c-${i}.xml`, (_req, res) => {
        const list = hits.get(i)!;
        list.push(Date.now());
        res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(growingFeed(i, list.length));
      });
      return fixtures.url(`/c-${i}.xml`);
    });
    const env = {
      ...handle.env,
      SOURCES_FILE: writeSources(dir, urls),
      ALLOW_PRIVATE_HOSTS: fixtures.hostPort,
      PORT: '0',
      FETCH_SCHEDULE: '* * * * * *',
      POLL_INTERVAL: `${INTERVAL_MS}ms`,
      POLL_MIN_INTERVAL: `${INTERVAL_MS}ms`,
      FETCH_BATCH: '4',
      FETCH_CONCURRENCY: '4',
      FETCH_LEASE: '30s',
    };
    const started = await Promise.all([
      ...[1, 2, 3].map(() => startStoryline({ ...env, RUN: 'worker' })),
      ...[1, 2].map(() => startStoryline({ ...env, RUN: 'server' })),
    ]);
    processes.push(...started);
    const servers = started.slice(3);
    const until = Date.now() + RUN_MS;
    while (Date.now() < until) {
      for (const s of servers)
        for (const path of ['/api/stories', '/api/items', '/readyz'])
          expect((await fetch(`${s.url}${path}`)).status, path).toBe(200);
      await new Promise((r) => setTimeout(r, 1000));
    }
    for (const p of started) expect((await stopStoryline(p, 'SIGTERM')).code).toBe(0);
    processes.length = 0;

    for (const [i, times] of hits) {
      expect(times.length, `feed ${i} fetched repeatedly`).toBeGreaterThanOrEqual(2);
      const gaps = times.slice(1).map((t, k) => t - times[k]!);
      expect(
        Math.min(...gaps),
        `feed ${i} fetched twice within one due time: ${gaps.join(', ')} ms`,
      ).toBeGreaterThanOrEqual(INTERVAL_MS - 100);
    }
    const db = handle.db;
    const perFeed = await db.query<{ url: string; n: number; keys: number }>(
      'SELECT f.url, count(*)::int AS n, count(DISTINCT i.item_key)::int AS keys FROM items i JOIN feeds f ON f.id = i.feed_id GROUP BY f.url',
    );
    for (const row of perFeed.rows) {
      const i = urls.indexOf(row.url);
      expect(row, `feed ${i}: one item per fetch, none twice`).toMatchObject({
        n: hits.get(i)!.length,
        keys: hits.get(i)!.length,
      });
    }
    const workers = await db.query<{ worker: string }>('SELECT DISTINCT worker FROM fetch_log');
    expect(workers.rows.length, 'all three workers took part').toBe(3);
    const multi = await db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM stories WHERE merged_into IS NULL AND item_count > 1',
    );
    expect(multi.rows[0]!.n, 'stories grouping items of several feeds').toBeGreaterThan(0);
    await expectStoriesConsistent(db);
  }, 180_000);
});
