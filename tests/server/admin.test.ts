// Admin endpoints: off without ADMIN_TOKEN, bearer token checked in constant time, rate-limited per
// address, bodies validated, and the caches dropped after a change.
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { readOpml } from '../../src/sources/opml.js';
import { isTokenValid } from '../../src/server/admin-routes.js';
import type { AdminActions } from '../../src/server/app.js';
import { addFeed, listFeedReports, removeFeed } from '../../src/store/feeds.js';
import type { Db } from '../../src/store/db/db.js';
import { describeEachDb } from '../helpers/db.js';
import { getJson, request, startApp, type RunningApp } from './helpers.js';
import { assertMatches } from './openapi-check.js';

const TOKEN = 'correct-horse-battery-staple';
const auth = (token = TOKEN): Record<string, string> => ({ authorization: `Bearer ${token}` });

/** The real store functions behind the admin API, recording each call. */
function storeActions(db: Db, calls: string[]): AdminActions {
  return {
    addFeed: async (input) => {
      calls.push(`add ${input.url}`);
      const { feed } = await addFeed(db, {
        url: input.url,
        outlet: input.outlet ?? new URL(input.url).hostname,
        section: input.section ?? null,
        title: null,
        site: null,
        region: null,
      });
      return (await listFeedReports(db)).find((r) => r.id === feed.id)!;
    },
    removeFeed: async (id) => {
      calls.push(`remove ${id}`);
      return removeFeed(db, id);
    },
    importOpml: async (xml) => {
      calls.push('import');
      let added = 0;
      const sources = readOpml(xml);
      for (const s of sources) if ((await addFeed(db, s)).created) added += 1;
      return { added, existing: sources.length - added };
    },
    triggerFetch: async () => {
      calls.push('fetch');
      return { queued: (await listFeedReports(db)).length };
    },
  };
}

const OPML = `<?xml version="1.0"?><opml version="2.0"><head><title>t</title></head><body>
<outline text="NPR" type="outlet"><outline type="rss" text="NPR News" xmlUrl="https://feeds.npr.example/1001/rss.xml"/></outline>
</body></opml>`;

describeEachDb('admin API', (ctx) => {
  let off: RunningApp;
  let on: RunningApp;
  let doc: Record<string, any>;
  const calls: string[] = [];
  let clock = Date.parse('2025-05-09T12:00:00Z');

  beforeAll(async () => {
    off = await startApp(ctx.db, { admin: storeActions(ctx.db, calls) });
    on = await startApp(ctx.db, {
      env: { ADMIN_TOKEN: TOKEN },
      admin: storeActions(ctx.db, calls),
      now: () => new Date(clock),
      adminRateLimit: 12,
    });
    doc = await getJson(on.origin, '/api/openapi.json');
  });
  // Each test starts a fresh rate-limit window.
  beforeEach(() => {
    clock += 60_000;
  });
  afterAll(async () => {
    await off.close();
    await on.close();
  });

  it('is off when ADMIN_TOKEN is unset, whatever token is sent', async () => {
    const res = await request(off.origin, '/api/admin/fetch', { method: 'POST', headers: auth() });
    expect(res.status).toBe(404);
    expect(res.json<any>().error).toEqual({
      code: 'not_found',
      message: 'the admin API is off: set ADMIN_TOKEN to enable it',
    });
    expect(calls).toEqual([]);
  });

  it('refuses a missing, malformed or wrong token', async () => {
    for (const headers of [
      {},
      { authorization: TOKEN },
      { authorization: `Basic ${TOKEN}` },
      auth('wrong'),
      auth(`${TOKEN}x`),
      auth(TOKEN.toUpperCase()),
    ]) {
      const res = await request(on.origin, '/api/admin/fetch', { method: 'POST', headers });
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer realm="storyline-admin"');
      expect(res.json<any>().error.code).toBe('unauthorized');
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
    }
    expect(calls).toEqual([]);
    expect(isTokenValid(TOKEN, TOKEN)).toBe(true);
    expect(isTokenValid('', TOKEN)).toBe(false);
  });

  // The export is written again only when the sources version moves (sql/015_sources_version.sql).
  const exported = async (): Promise<string> => (await request(on.origin, '/api/feeds.opml')).text;

  it('adds a feed, shows it in /api/feeds and the OPML export at once, and validates the body', async () => {
    await request(on.origin, '/api/feeds');
    expect(await exported()).not.toContain('https://news.example/rss');
    const res = await request(on.origin, '/api/admin/feeds', {
      method: 'POST',
      headers: { ...auth(), 'content-type': 'application/json' },
      body: JSON.stringify({ url: 'https://news.example/rss', outlet: 'Example News' }),
    });
    expect(res.status).toBe(201);
    assertMatches(doc, '/api/admin/feeds', 'post', 201, res.json());
    expect(res.json<any>()).toMatchObject({ url: 'https://news.example/rss', outlet: 'Example News', status: 'new' });
    expect((await getJson(on.origin, '/api/feeds')).feeds.map((f: any) => f.url)).toContain('https://news.example/rss');
    expect(await exported()).toContain('xmlUrl="https://news.example/rss"');
    for (const [body, words] of [
      [{}, 'parameter url is required'],
      [{ url: 'https://x.example/', colour: 'red' }, 'unknown parameter: colour'],
      [{ url: 'x'.repeat(3000) }, 'parameter url'],
      [[1, 2], 'input must be an object'],
    ] as const) {
      const bad = await request(on.origin, '/api/admin/feeds', {
        method: 'POST',
        headers: { ...auth(), 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect(bad.status).toBe(400);
      expect(bad.json<any>().error.message).toContain(words);
    }
    const broken = await request(on.origin, '/api/admin/feeds', {
      method: 'POST',
      headers: { ...auth(), 'content-type': 'application/json' },
      body: '{"url":',
    });
    expect(broken.json<any>().error).toEqual({ code: 'bad_request', message: 'request body is not valid JSON' });
  });

  it('removes a feed, and says 404 for one that is not there', async () => {
    const id = (await listFeedReports(ctx.db)).find((r) => r.url === 'https://news.example/rss')!.id;
    expect((await request(on.origin, `/api/admin/feeds/${id}`, { method: 'DELETE', headers: auth() })).status).toBe(
      204,
    );
    expect((await request(on.origin, `/api/admin/feeds/${id}`, { method: 'DELETE', headers: auth() })).status).toBe(
      404,
    );
    expect((await request(on.origin, '/api/admin/feeds/abc', { method: 'DELETE', headers: auth() })).status).toBe(400);
    expect((await getJson(on.origin, '/api/feeds')).feeds.map((f: any) => f.url)).not.toContain(
      'https://news.example/rss',
    );
    expect(await exported()).not.toContain('https://news.example/rss');
  });

  it('imports OPML and triggers a fetch', async () => {
    const res = await request(on.origin, '/api/admin/opml', {
      method: 'POST',
      headers: { ...auth(), 'content-type': 'text/x-opml' },
      body: OPML,
    });
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ added: 1, existing: 0 });
    const wrongType = await request(on.origin, '/api/admin/opml', {
      method: 'POST',
      headers: { ...auth(), 'content-type': 'application/json' },
      body: '{}',
    });
    expect(wrongType.status).toBe(415);
    const fetch = await request(on.origin, '/api/admin/fetch', { method: 'POST', headers: auth() });
    expect(fetch.status).toBe(202);
    assertMatches(doc, '/api/admin/fetch', 'post', 202, fetch.json());
    const removed = calls[1]!;
    expect(calls).toEqual(['add https://news.example/rss', removed, removed, 'import', 'fetch']);
  });

  it('limits failed attempts per address until the window passes, and never the valid token', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 30; i += 1)
      statuses.push(
        (await request(on.origin, '/api/admin/fetch', { method: 'POST', headers: auth(i % 2 ? 'wrong' : TOKEN) }))
          .status,
      );
    // Twelve failures are answered 401, the rest 429; the valid token gets through throughout.
    expect(statuses.filter((_, i) => i % 2 === 0)).toEqual(Array(15).fill(202));
    expect(statuses.filter((_, i) => i % 2 === 1)).toEqual([...Array(12).fill(401), ...Array(3).fill(429)]);
    const limited = await request(on.origin, '/api/admin/fetch', { method: 'POST', headers: auth('wrong') });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.json<any>().error.code).toBe('rate_limited');
    // Behind a proxy everyone shares one address: the operator is not locked out by others' guesses.
    expect((await request(on.origin, '/api/admin/fetch', { method: 'POST', headers: auth() })).status).toBe(202);
    clock += 60_000;
    expect((await request(on.origin, '/api/admin/fetch', { method: 'POST', headers: auth('wrong') })).status).toBe(401);
  });

  it('says 503 when this process runs no admin actions', async () => {
    const bare = await startApp(ctx.db, { env: { ADMIN_TOKEN: TOKEN } });
    try {
      expect((await request(bare.origin, '/api/admin/fetch', { method: 'POST', headers: auth() })).status).toBe(503);
    } finally {
      await bare.close();
    }
  });
});
