// HTTP behaviour: validators and 304s, compression, Cache-Control, the response cache (no query per
// request for a cached feed; invalidation in-process and by data version across processes),
// health, readiness and metrics.
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Db } from '../../src/store/db/db.js';
import { describeEachDb } from '../helpers/db.js';
import { countingDb, request, startApp, type RunningApp } from './helpers.js';
import { growStory, seedNewsWeek, type SeededStory } from './seed.js';

const LISTS = [
  '/feed.xml',
  '/feed.atom',
  '/feed.json',
  '/topics/india/feed.xml',
  '/api/stories',
  '/api/items',
  '/api/topics',
  '/api/outlets',
  '/api/feeds',
  '/api/search?q=pope',
  '/',
];

describeEachDb('HTTP behaviour', (ctx) => {
  let app: RunningApp;
  let week: SeededStory[];
  let counter: { db: Db; count(): number };
  let clock = Date.parse('2025-05-09T12:00:00Z');

  beforeAll(async () => {
    week = await seedNewsWeek(ctx.db);
    counter = countingDb(ctx.db);
    // Checked every second on both backends here, PGlite included, to test the check itself.
    // Requests wait for the check however long it takes: these tests check what it finds.
    app = await startApp(counter.db, {
      now: () => new Date(clock),
      dataVersionInterval: 1000,
      dataVersionWait: 60_000,
    });
  });
  afterAll(() => app.close());

  it('gives every feed and list an ETag and Last-Modified from the data, and 304 on a match', async () => {
    for (const path of LISTS) {
      const first = await request(app.origin, path);
      expect(first.status, path).toBe(200);
      const etag = first.headers.etag!;
      expect(etag, path).toMatch(/^"[\w-]{27}"$/);
      const lastModified = first.headers['last-modified']!;
      expect(Date.parse(lastModified), path).toBeGreaterThan(0);
      const byEtag = await request(app.origin, path, { headers: { 'if-none-match': etag } });
      expect(byEtag.status, path).toBe(304);
      expect(byEtag.body.length).toBe(0);
      expect(byEtag.headers.etag).toBe(etag);
      expect((await request(app.origin, path, { headers: { 'if-modified-since': lastModified } })).status, path).toBe(
        304,
      );
      expect(
        (await request(app.origin, path, { headers: { 'if-modified-since': 'Mon, 01 Jan 2024 00:00:00 GMT' } })).status,
        path,
      ).toBe(200);
      expect((await request(app.origin, path, { headers: { 'if-none-match': '"other"' } })).status, path).toBe(200);
    }
    // Last-Modified is the newest change shown, not the time of the request.
    expect((await request(app.origin, '/feed.xml')).headers['last-modified']).toBe('Thu, 08 May 2025 18:00:00 GMT');
  });

  it('compresses large responses with br or gzip, as negotiated, and leaves small ones alone', async () => {
    const plain = await request(app.origin, '/feed.xml');
    expect(plain.headers['content-encoding']).toBeUndefined();
    const br = await request(app.origin, '/feed.xml', { headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toBe('Accept-Encoding');
    expect(br.body.length).toBeLessThan(plain.body.length / 2);
    expect(brotliDecompressSync(br.body).toString('utf8')).toBe(plain.text);
    expect(br.headers.etag).toBe(`W/${plain.headers.etag}`);
    const gzip = await request(app.origin, '/feed.xml', { headers: { 'accept-encoding': 'gzip' } });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzip.body).toString('utf8')).toBe(plain.text);
    expect(
      (
        await request(app.origin, '/feed.xml', {
          headers: { 'accept-encoding': 'gzip', 'if-none-match': br.headers.etag! },
        })
      ).status,
    ).toBe(304);
    const small = await request(app.origin, '/api/stories?topic=no-such-topic', {
      headers: { 'accept-encoding': 'br, gzip' },
    });
    expect(small.text).toBe('{"stories":[],"next":null}');
    expect(small.headers['content-encoding']).toBeUndefined();
  });

  it('sets Cache-Control to suit each route', async () => {
    const expected: Record<string, string> = {
      '/feed.xml': 'public, max-age=300',
      '/topics/india/feed.atom': 'public, max-age=300',
      '/api/stories': 'public, max-age=30',
      [`/api/stories/${week[0]!.id}`]: 'public, max-age=60',
      '/': 'public, max-age=60',
      '/api/openapi.json': 'public, max-age=3600',
      '/healthz': 'no-store',
      '/readyz': 'no-store',
      '/metrics': 'no-store',
      '/api/stories?limit=-1': 'no-store',
      '/nowhere': 'no-store',
    };
    for (const [path, value] of Object.entries(expected))
      expect((await request(app.origin, path)).headers['cache-control'], path).toBe(value);
  });

  it('serves a popular feed from memory: no database query per request', async () => {
    await request(app.origin, '/feed.json?limit=3');
    const before = counter.count();
    const responses = await Promise.all(Array.from({ length: 50 }, () => request(app.origin, '/feed.json?limit=3')));
    expect(responses.every((r) => r.status === 200 && r.headers['x-cache'] === 'hit')).toBe(true);
    expect(counter.count() - before).toBe(0);
    // A second later one cheap version check is allowed, then none again.
    clock += 1500;
    await Promise.all(Array.from({ length: 20 }, () => request(app.origin, '/feed.json?limit=3')));
    expect(counter.count() - before).toBe(1);
  });

  it('polls a Postgres server for other writers by default, never PGlite (only this process opens it)', async () => {
    const own = countingDb(ctx.db);
    let ownClock = clock;
    const other = await startApp(own.db, { now: () => new Date(ownClock), dataVersionWait: 60_000 });
    try {
      await request(other.origin, '/api/topics');
      const before = own.count();
      ownClock += 5000;
      expect((await request(other.origin, '/api/topics')).headers['x-cache']).toBe('hit');
      expect(own.count() - before).toBe(ctx.backend === 'pglite' ? 0 : 1);
    } finally {
      await other.close();
    }
  });

  it('answers a hit (sent before routing) exactly as the routed miss was answered', async () => {
    for (const path of ['/feed.atom?limit=2', '/', '/api/topics']) {
      app.cache.invalidate();
      const miss = await request(app.origin, path, { headers: { 'accept-encoding': 'gzip' } });
      const hit = await request(app.origin, path, { headers: { 'accept-encoding': 'gzip' } });
      expect([miss.headers['x-cache'], hit.headers['x-cache']]).toEqual(['miss', 'hit']);
      const comparable = (h: Record<string, unknown>) =>
        Object.fromEntries(Object.entries(h).filter(([k]) => k !== 'date' && k !== 'x-cache'));
      expect(comparable(hit.headers)).toEqual(comparable(miss.headers));
      expect(hit.body.equals(miss.body)).toBe(true);
      const head = await request(app.origin, path, { method: 'HEAD' });
      expect(head.status).toBe(200);
      expect(head.body.length).toBe(0);
    }
    const metrics = (await request(app.origin, '/metrics')).text;
    expect(metrics).toMatch(/storyline_http_requests_total\{route="\/api\/topics",method="HEAD",status="200"\} 1/);
    expect(metrics).toMatch(/storyline_http_requests_total\{route="\/feed\.atom",method="GET",status="200"\} \d+/);
  });

  it('renders once for a burst of concurrent misses', async () => {
    app.cache.invalidate();
    const before = counter.count();
    const responses = await Promise.all(Array.from({ length: 20 }, () => request(app.origin, '/feed.xml?limit=2')));
    expect(new Set(responses.map((r) => r.text)).size).toBe(1);
    // One render of a story feed: stories, their outlets, topics and coverage.
    expect(counter.count() - before).toBe(4);
  });

  it('shows new data at once after invalidate(), and within a second when another process wrote', async () => {
    const story = week[2]!.id;
    await request(app.origin, '/feed.json');
    const before = await request(app.origin, '/feed.json');
    expect(before.headers['x-cache']).toBe('hit');
    // Another process writes: this one's cache has not been told.
    await growStory(
      ctx.db,
      story,
      { outlet: 'CNN', title: 'Ceasefire talk after strikes', publishedAt: '2025-05-09T08:00:00Z' },
      '2025-05-09T08:00:01Z',
    );
    expect((await request(app.origin, '/feed.json')).text).toBe(before.text);
    clock += 1001;
    const after = await request(app.origin, '/feed.json');
    expect(after.headers['x-cache']).toBe('miss');
    expect(after.text).toContain('Ceasefire talk after strikes');
    expect(after.headers.etag).not.toBe(before.headers.etag);
    // The worker in this process calls invalidate() and needs no clock at all.
    await ctx.db.query("UPDATE stories SET headline = 'India and Pakistan trade strikes' WHERE id = $1", [story]);
    app.cache.invalidate();
    expect((await request(app.origin, '/feed.json')).text).toContain('India and Pakistan trade strikes');
  });

  it('reports liveness, readiness and metrics', async () => {
    expect((await request(app.origin, '/healthz')).json()).toEqual({ status: 'ok' });
    expect((await request(app.origin, '/readyz')).json()).toEqual({
      status: 'ok',
      checks: { database: 'ok', migrations: 'ok' },
    });
    app.metrics.fetches.inc({ outcome: 'ok', status: '2xx' });
    app.metrics.fetchDuration.observe({ outcome: 'ok' }, 0.42);
    app.metrics.itemsStored.inc({ kind: 'new' }, 7);
    app.metrics.storiesCreated.inc({}, 2);
    await request(app.origin, `/api/stories/${week[0]!.id}`);
    const text = (await request(app.origin, '/metrics')).text;
    expect(text).toContain('storyline_fetches_total{outcome="ok",status="2xx"} 1');
    expect(text).toContain('storyline_fetch_duration_seconds_bucket{le="0.5",outcome="ok"} 1');
    expect(text).toContain('storyline_items_stored_total{kind="new"} 7');
    expect(text).toContain('storyline_stories_created_total 2');
    expect(text).toMatch(/storyline_http_requests_total\{route="\/api\/stories\/:id",method="GET",status="200"\} \d+/);
    expect(text).toMatch(/storyline_http_request_duration_seconds_count\{route="\/feed\.xml",method="GET"\} \d+/);
    expect(text).toMatch(/storyline_http_requests_total\{route="unmatched",method="GET",status="404"\} \d+/);
  });

  it('is not ready when the database is unreachable or migrations are pending', async () => {
    const broken: Db = { ...ctx.db, query: async () => Promise.reject(new Error('connect ECONNREFUSED')) };
    const down = await startApp(broken);
    try {
      const res = await request(down.origin, '/readyz');
      expect(res.status).toBe(503);
      expect(res.json<any>().checks.database).toBe('unreachable: connect ECONNREFUSED');
      expect((await request(down.origin, '/healthz')).status).toBe(200);
    } finally {
      await down.close();
    }
    const behind: Db = {
      ...ctx.db,
      query: async (sql, params) =>
        (sql.includes('schema_migrations') ? { rows: [], rowCount: 0 } : ctx.db.query(sql, params)) as never,
    };
    const pending = await startApp(behind);
    try {
      expect((await request(pending.origin, '/readyz')).json()).toEqual({
        status: 'unavailable',
        checks: { database: 'ok', migrations: 'pending' },
      });
    } finally {
      await pending.close();
    }
  });
});
