import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createSilentLogger } from '../../src/log.js';
import { createWorkerDeps } from '../../src/worker/deps.js';
import type { Feed } from '../../src/model.js';
import { addFeed, findFeedById, listFeedReports } from '../../src/store/feeds.js';
import { refreshFeed } from '../../src/worker/refresh.js';
import { runPass } from '../../src/worker/worker.js';
import { describeEachDb } from '../helpers/db.js';
import { entries, rss } from '../helpers/feeds.js';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server.js';

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer();
});
afterAll(() => server.close());

describeEachDb('refreshing a feed', (ctx) => {
  let n = 0;
  const deps = () => {
    const config = loadConfig({
      ALLOW_PRIVATE_HOSTS: server.hostPort,
      FETCH_TIMEOUT: '3s',
      FETCH_CONNECT_TIMEOUT: '2s',
      POLL_MIN_INTERVAL: '5m',
    });
    return createWorkerDeps(ctx.db, config, createSilentLogger());
  };
  /** A feed served at a fresh path, stored in the database. */
  const newFeed = async (
    route: Parameters<FixtureServer['set']>[1],
    outlet = 'Fixture News',
  ): Promise<{ feed: Feed; path: string }> => {
    const path = `/${ctx.backend}/feed-${++n}.xml`;
    server.set(path, route);
    const { feed } = await addFeed(ctx.db, {
      url: server.url(path),
      outlet,
      section: null,
      title: null,
      site: null,
      region: null,
    });
    return { feed, path };
  };
  const reload = async (feed: Feed) => (await findFeedById(ctx.db, feed.id))!;
  const hits = (path: string) => server.requests.filter((r) => r.path === path);

  it('stores items, then asks conditionally and skips parsing on 304', async () => {
    const body = rss('Conditional', entries('cond', 3));
    const { feed, path } = await newFeed((req, res) => {
      if (req.headers['if-none-match'] === '"v1"') return void res.writeHead(304).end();
      res
        .writeHead(200, {
          'content-type': 'application/rss+xml',
          etag: '"v1"',
          'last-modified': 'Tue, 06 May 2025 10:00:00 GMT',
        })
        .end(body);
    });
    const first = await refreshFeed(deps(), feed);
    expect(first).toMatchObject({ outcome: 'ok', itemsNew: 3, status: 200 });
    const stored = await reload(feed);
    expect(stored.etag).toBe('"v1"');
    const second = await refreshFeed(deps(), stored);
    expect(second.outcome).toBe('not-modified');
    expect(hits(path)[1]!.headers['if-none-match']).toBe('"v1"');
    expect(hits(path)[1]!.headers['if-modified-since']).toBe('Tue, 06 May 2025 10:00:00 GMT');
    const log = await ctx.db.query<{ outcome: string }>(
      'SELECT outcome FROM fetch_log WHERE feed_id = $1 ORDER BY id',
      [feed.id],
    );
    expect(log.rows.map((r) => r.outcome)).toEqual(['ok', 'not-modified']);
  });

  it('skips an unchanged body before writing any item row', async () => {
    const { feed } = await newFeed({
      headers: { 'content-type': 'application/rss+xml' },
      body: rss('Same', entries('same', 2)),
    });
    await refreshFeed(deps(), feed);
    const before = await ctx.db.query<{ changed_at: Date }>('SELECT changed_at FROM items WHERE feed_id = $1', [
      feed.id,
    ]);
    const again = await refreshFeed(deps(), await reload(feed));
    expect(again.outcome).toBe('unchanged');
    const after = await ctx.db.query<{ changed_at: Date }>('SELECT changed_at FROM items WHERE feed_id = $1', [
      feed.id,
    ]);
    expect(after.rows).toEqual(before.rows);
  });

  it('updates a changed entry and leaves the others untouched', async () => {
    let version = 1;
    const { feed } = await newFeed((_req, res) => {
      const list = entries('upd', 3);
      if (version === 2) list[1]!.title = 'A corrected headline';
      res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss('Updates', list));
    });
    await refreshFeed(deps(), feed);
    version = 2;
    const second = await refreshFeed(deps(), await reload(feed));
    expect(second).toMatchObject({ outcome: 'ok', itemsNew: 0, itemsUpdated: 1 });
  });

  it('schedules the next fetch from the feed ttl', async () => {
    const { feed } = await newFeed({ body: rss('TTL', entries('ttl', 1), '<ttl>120</ttl>') });
    const before = Date.now();
    await refreshFeed(deps(), feed);
    const next = (await reload(feed)).nextFetchAt.getTime();
    expect(next - before).toBeGreaterThanOrEqual(119 * 60_000);
    expect(next - before).toBeLessThanOrEqual(121 * 60_000);
  });

  it('records a broken feed as its own error, with backoff, and carries on with the others', async () => {
    const good = await newFeed({ body: rss('Good', entries('good', 2)) });
    const broken = await newFeed({
      headers: { 'content-type': 'application/rss+xml' },
      body: '<rss><channel><item><title>cut',
    });
    const failing = await newFeed({ status: 500, body: 'oops' });
    const reports = await runPass({ ...deps(), claimBatch: 100 }, { everyFeed: true });
    const byId = new Map(reports.map((r) => [r.feedId, r]));
    expect(byId.get(good.feed.id)!.outcome).toBe('ok');
    expect(byId.get(broken.feed.id)!.outcome).toBe('error');
    expect(byId.get(failing.feed.id)!).toMatchObject({ outcome: 'error', status: 500 });
    const feeds = new Map((await listFeedReports(ctx.db)).map((f) => [f.id, f]));
    expect(feeds.get(good.feed.id)).toMatchObject({ status: 'ok', items: 2 });
    expect(feeds.get(broken.feed.id)).toMatchObject({ status: 'failing', errorKind: 'parse' });
    expect(feeds.get(broken.feed.id)!.error).toMatch(/^parse: /);
    expect(feeds.get(failing.feed.id)).toMatchObject({
      status: 'failing',
      errorKind: 'http',
      lastStatus: 500,
      errorCount: 1,
    });
    expect(feeds.get(failing.feed.id)!.nextFetchAt!.getTime()).toBeGreaterThan(Date.now() + 3 * 60_000);
  });

  it('honours Retry-After on 429', async () => {
    const { feed } = await newFeed({ status: 429, headers: { 'retry-after': '7200' }, body: '' });
    const before = Date.now();
    await refreshFeed(deps(), feed);
    const stored = await reload(feed);
    expect(stored.nextFetchAt.getTime() - before).toBeGreaterThanOrEqual(7200_000 - 1000);
    expect(stored.lastStatus).toBe(429);
  });

  it('stops polling a feed that answers 410 Gone, and says so', async () => {
    const { feed } = await newFeed({ status: 410, body: 'gone' });
    await refreshFeed(deps(), feed);
    const report = (await listFeedReports(ctx.db)).find((f) => f.id === feed.id)!;
    expect(report).toMatchObject({ status: 'gone', nextFetchAt: null, lastStatus: 410 });
    expect(report.error).toMatch(/gone/i);
  });

  it('follows a permanent redirect to a new stored URL, and a temporary one without moving', async () => {
    const target = `/${ctx.backend}/moved-target.xml`;
    server.set(target, { body: rss('Moved', entries('moved', 1)) });
    const permanent = await newFeed({ status: 301, headers: { location: target } });
    const temporary = await newFeed({ status: 302, headers: { location: target } });
    await refreshFeed(deps(), permanent.feed);
    await refreshFeed(deps(), temporary.feed);
    expect((await reload(permanent.feed)).url).toBe(server.url(target));
    expect((await reload(temporary.feed)).url).toBe(server.url(temporary.path));
  });

  it('finds the feed of a web page through autodiscovery and stores that address', async () => {
    const feedPath = `/${ctx.backend}/discovered.xml`;
    server.set(feedPath, {
      headers: { 'content-type': 'application/rss+xml' },
      body: rss('Discovered', entries('disc', 2)),
    });
    const page = `<!doctype html><html><head><title>Home</title><link rel="alternate" type="application/rss+xml" href="${feedPath}"></head><body>Hi</body></html>`;
    const { feed } = await newFeed({ headers: { 'content-type': 'text/html; charset=utf-8' }, body: page });
    const report = await refreshFeed(deps(), feed);
    expect(report).toMatchObject({ outcome: 'ok', itemsNew: 2 });
    expect((await reload(feed)).url).toBe(server.url(feedPath));
  });

  it('credits the publisher named in <source> (Google News results)', async () => {
    const list = [
      {
        guid: 'gn-1',
        title: 'Sheinbaum rejects US troops offer - Associated Press',
        source: { name: 'Associated Press', url: 'https://apnews.com' },
      },
    ];
    const { feed } = await newFeed({ body: rss('"site:apnews.com" - Google News', list) }, 'Associated Press');
    await refreshFeed(deps(), feed);
    const row = await ctx.db.query<{ title: string; outlet_name: string }>(
      'SELECT title, outlet_name FROM items WHERE feed_id = $1',
      [feed.id],
    );
    expect(row.rows[0]).toEqual({ title: 'Sheinbaum rejects US troops offer', outlet_name: 'Associated Press' });
  });

  it('lets two workers share the feeds without fetching any twice', async () => {
    const paths: string[] = [];
    for (let i = 0; i < 12; i++)
      paths.push((await newFeed({ body: rss(`Shared ${i}`, entries(`shared${i}`, 2)) })).path);
    const a = { ...deps(), workerId: 'worker-a', claimBatch: 3 };
    const b = { ...deps(), workerId: 'worker-b', claimBatch: 3 };
    const [ra, rb] = await Promise.all([runPass(a), runPass(b)]);
    const fetched = [...ra, ...rb].map((r) => r.url).filter((u) => paths.some((p) => u.endsWith(p)));
    expect(new Set(fetched).size).toBe(fetched.length);
    for (const p of paths) expect(hits(p)).toHaveLength(1);
  });
});
