// SIGTERM while a pass is fetching: the worker starts no new fetch, finishes the ones in flight and
// hands back the rest, the HTTP server closes (idle keep-alive sockets included), and the exit code is 0.
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '../helpers/db.js';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server.js';
import {
  addSlowFeeds,
  openSharedDb,
  startStoryline,
  stopStoryline,
  writeSources,
  eventually,
  type SharedDb,
} from './service.js';

const FEEDS = 10;
const DELAY_MS = 1500;

let fixtures: FixtureServer;
beforeAll(async () => {
  fixtures = await startFixtureServer();
});
afterAll(() => fixtures.close());

/** One GET over a keep-alive agent, so the server is left holding an idle connection. */
function getKeepAlive(url: string, agent: http.Agent): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      })
      .on('error', reject);
  });
}

for (const backend of testBackends()) {
  describe(`SIGTERM during a pass [${backend}]`, () => {
    let shared: SharedDb;
    beforeAll(async () => {
      shared = await openSharedDb(backend);
    });
    afterAll(() => shared.close());

    it('starts no new fetch, finishes or releases the claimed feeds, closes the server and exits 0', async () => {
      const { urls, hits } = addSlowFeeds(fixtures, `term-${backend}`, FEEDS, { delayMs: DELAY_MS });
      const env = {
        ...shared.env,
        SOURCES_FILE: writeSources(shared.dir, urls),
        ALLOW_PRIVATE_HOSTS: fixtures.hostPort,
        PORT: '0',
        RUN: 'worker,server',
        // Only the pass run at start: the signal lands in it.
        FETCH_SCHEDULE: '0 0 1 1 *',
        FETCH_CONCURRENCY: '2',
        FETCH_PER_HOST: '2',
      };
      const cli = await startStoryline(env);
      const agent = new http.Agent({ keepAlive: true, keepAliveMsecs: 60_000 });
      try {
        expect(await getKeepAlive(`${cli.url}/healthz`, agent)).toBe(200);
        await eventually(async () => hits.length >= 2, 30_000, 'two fetches in flight');
        const signalledAt = Date.now();
        const stopped = await stopStoryline(cli, 'SIGTERM', 40_000);

        expect(stopped, cli.text.join('\n')).toMatchObject({ code: 0, signal: null });
        expect(cli.logs.map((l) => l.msg)).toEqual(expect.arrayContaining(['stopping', 'stopped']));
        // A fetch may start in the instant the signal travels; none may start after that.
        const lateStarts = hits.filter((h) => h.at > signalledAt + 300);
        expect(lateStarts, 'fetches started after SIGTERM').toEqual([]);
        expect(hits.length).toBeLessThan(FEEDS);
        await expect(fetch(`${cli.url}/healthz`)).rejects.toThrow();

        const db = await shared.open();
        try {
          const locked = await db.query<{ url: string }>(
            'SELECT url FROM feeds WHERE locked_by IS NOT NULL OR locked_until IS NOT NULL',
          );
          expect(locked.rows, 'leases still held after exit').toEqual([]);
          // Every fetch that started was finished and recorded; every feed not started is untouched, due again.
          const fetched = await db.query<{ url: string; outcome: string }>(
            'SELECT f.url, l.outcome FROM fetch_log l JOIN feeds f ON f.id = l.feed_id',
          );
          const started = new Set(hits.map((h) => fixtures.url(h.path)));
          expect(new Set(fetched.rows.map((r) => r.url))).toEqual(started);
          expect(fetched.rows.every((r) => r.outcome === 'ok')).toBe(true);
          const untouched = await db.query<{ n: number }>(
            'SELECT count(*)::int AS n FROM feeds WHERE last_fetched_at IS NULL AND next_fetch_at <= now()',
          );
          expect(untouched.rows[0]!.n).toBe(FEEDS - started.size);
        } finally {
          await db.close();
        }
      } finally {
        agent.destroy();
        await stopStoryline(cli, 'SIGKILL');
      }
    }, 180_000);
  });
}
