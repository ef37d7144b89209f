// A worker pass shares connections among feeds on one host (as many as the per-host limit) and
// leaves none open when it ends; 304s are recorded in batches, one fetch-log line per feed.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createSilentLogger } from '../../src/log.js';
import { createWorkerDeps } from '../../src/worker/deps.js';
import { addFeed } from '../../src/store/feeds.js';
import { runPass } from '../../src/worker/worker.js';
import { startHttpServer, type TrackedServer } from '../fetch/servers.js';
import { describeEachDb } from '../helpers/db.js';
import { entries, rss } from '../helpers/feeds.js';

const FEEDS = 12;
let server: TrackedServer;
beforeAll(async () => {
  server = await startHttpServer((req, res) => {
    const etag = `"${req.url}"`;
    if (req.headers['if-none-match'] === etag) return void res.writeHead(304, { etag }).end();
    res
      .writeHead(200, { 'content-type': 'application/rss+xml', etag })
      .end(rss(`Feed ${req.url}`, entries(req.url ?? '', 2)));
  });
});
afterAll(() => server.close());

describeEachDb('connections in a worker pass', (ctx) => {
  it('reuses connections to one host within the per-host limit, records 304s, and leaves no socket open', async () => {
    const config = loadConfig({ ALLOW_PRIVATE_HOSTS: server.hostPort, FETCH_CONCURRENCY: '8', FETCH_PER_HOST: '2' });
    const deps = { ...createWorkerDeps(ctx.db, config, createSilentLogger()), assignStories: async () => undefined };
    const ids: number[] = [];
    for (let i = 0; i < FEEDS; i++)
      ids.push(
        (
          await addFeed(ctx.db, {
            url: server.url(`/${ctx.backend}/f${i}`),
            outlet: 'Pooled',
            section: null,
            title: null,
            site: null,
            region: null,
          })
        ).feed.id,
      );

    const before = server.connections;
    const first = await runPass(deps, { everyFeed: true });
    expect(first.map((r) => r.outcome)).toEqual(Array(FEEDS).fill('ok'));
    expect(server.connections - before).toBeLessThanOrEqual(2);
    await server.allClosed();

    const second = await runPass(deps, { everyFeed: true });
    expect(second.map((r) => r.outcome)).toEqual(Array(FEEDS).fill('not-modified'));
    await server.allClosed();
    const log = await ctx.db.query<{ feed_id: number; n: number }>(
      "SELECT feed_id, count(*)::int AS n FROM fetch_log WHERE outcome = 'not-modified' AND feed_id = ANY($1) GROUP BY feed_id",
      [ids],
    );
    expect(log.rows).toHaveLength(FEEDS);
    expect(log.rows.every((r) => r.n === 1)).toBe(true);
    const feeds = await ctx.db.query<{ locked_by: string | null; last_status: number }>(
      'SELECT locked_by, last_status FROM feeds WHERE id = ANY($1)',
      [ids],
    );
    expect(feeds.rows.every((f) => f.locked_by === null && f.last_status === 304)).toBe(true);
  });
});
