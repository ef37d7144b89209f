// Malformed and hostile parameters get a 400 naming the problem, in the one error shape; SQL-looking
// text is only ever data; and no input whatsoever gets a 500.
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDb } from '../helpers/db.js';
import { request, startApp, type RunningApp } from './helpers.js';
import { seedNewsWeek } from './seed.js';

const b64 = (s: string): string => Buffer.from(s, 'latin1').toString('base64url');

// [path, parameter named in the error (null: none), words the message must contain]
const REFUSED: Array<[string, string | null, string]> = [
  ['/api/stories?limit=99999999999', 'limit', 'parameter limit must be a whole number from 1 to 100'],
  ['/api/stories?limit=-1', 'limit', 'from 1 to 100'],
  ['/api/stories?limit=1e2', 'limit', 'whole number'],
  ['/api/stories?limit=', null, ''],
  ['/feed.xml?limit=100000', 'limit', 'from 1 to 200'],
  ['/api/stories?min_sources=0', 'min_sources', 'min_sources'],
  ['/api/stories?cursor=garbage', 'cursor', 'parameter cursor is not a cursor this API gave out'],
  [`/api/stories?cursor=${b64("1.2'; DROP TABLE stories; --")}`, 'cursor', 'cursor'],
  [`/api/stories?cursor=${b64('99999999999999999999.1')}`, 'cursor', 'cursor'],
  [`/api/search?q=pope&cursor=${b64('o99999')}`, 'cursor', 'cursor'],
  ['/api/stories?sort=id', 'sort', 'must be top or latest'],
  ['/api/items?sort=top', 'sort', 'unknown parameter: sort'],
  ['/api/stories?since=yesterday', 'since', 'ISO 8601'],
  ['/api/stories?until=2025-02-30', 'until', 'ISO 8601'],
  [`/api/stories?q=${'a'.repeat(301)}`, 'q', 'at most 300 characters'],
  ['/api/stories?q=a%00b', 'q', 'control characters'],
  ['/api/stories?q=%FF', 'q', 'not valid percent-encoded UTF-8'],
  ['/api/stories?q=%E0%A4%A', 'q', 'not valid percent-encoded UTF-8'],
  ['/api/stories?%FF=1', null, 'query string is not valid percent-encoded UTF-8'],
  ['/api/stories?limit=1&limit=2', 'limit', 'given more than once'],
  [`/api/stories?q=${'x'.repeat(5000)}`, null, 'longer than 4096'],
  ['/feed.xml?view=all', 'view', 'must be stories or items'],
  ["/feed.xml?topic=x'%20OR%201=1--", 'topic', 'topic slug'],
  ['/api/stories/1;DROP%20TABLE%20items', 'id', 'story id must be a positive whole number'],
  ['/api/stories/0', 'id', 'positive'],
  ['/api/stories/1?expand=all', 'expand', 'unknown parameter: expand'],
  ['/api/search', 'q', 'parameter q is required'],
  ['/api/topics?limit=5000', 'limit', 'from 1 to 1000'],
  ['/topics/%FF/feed.xml', null, 'path is not valid percent-encoded UTF-8'],
  ['/stories/%E0%A4%A', null, 'path'],
];

describeEachDb('hostile parameters', (ctx) => {
  let app: RunningApp;

  beforeAll(async () => {
    await seedNewsWeek(ctx.db);
    app = await startApp(ctx.db);
  });
  afterAll(() => app.close());

  for (const [path, parameter, words] of REFUSED) {
    it(`refuses ${path.slice(0, 70)}`, async () => {
      const res = await request(app.origin, path, { headers: { accept: 'application/json' } });
      if (path === '/api/stories?limit=') {
        // An empty value is an unset parameter (an empty form field), not an error.
        expect(res.status).toBe(200);
        return;
      }
      expect(res.status).toBe(400);
      const body = res.json<{ error: { code: string; message: string; parameter?: string } }>();
      expect(Object.keys(body)).toEqual(['error']);
      expect(['invalid_parameter', 'bad_request']).toContain(body.error.code);
      expect(body.error.message).toContain(words);
      if (parameter) expect(body.error.parameter).toBe(parameter);
    });
  }

  it('treats SQL-looking text as data', async () => {
    const drop = await request(app.origin, `/api/search?q=${encodeURIComponent("'; DROP TABLE items; --")}`);
    expect(drop.status).toBe(200);
    expect(drop.json<any>().results).toEqual([]);
    const always = await request(app.origin, `/api/stories?outlet=${encodeURIComponent("' OR '1'='1")}`);
    expect(always.json<any>().stories).toEqual([]);
    const union = await request(app.origin, `/feed.json?q=${encodeURIComponent('pope UNION SELECT * FROM feeds')}`);
    expect(union.status).toBe(200);
    expect((await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM items')).rows[0]!.n).toBeGreaterThan(0);
  });

  it('never answers 500, whatever a parameter holds', async () => {
    const routes = ['/api/stories', '/api/items', '/feed.json', '/api/search', '/'];
    const names = ['q', 'outlet', 'topic', 'since', 'limit', 'cursor', 'min_sources', 'view', 'nonsense'];
    const value = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 40 }).map(encodeURIComponent),
      fc.string({ unit: 'binary-ascii', maxLength: 40 }).map(encodeURIComponent),
      // Raw bytes as the client wrote them: stray percents, half escapes, reserved characters.
      fc.string({
        unit: fc.constantFrom('%', 'F', 'f', '0', 'E', '9', '+', '&', '=', ';', "'", '"', '\\', '<', 'a'),
        maxLength: 12,
      }),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes), fc.constantFrom(...names), value, async (route, name, v) => {
        const res = await request(app.origin, `${route}?${name}=${v}`, { headers: { accept: 'application/json' } });
        expect([200, 400]).toContain(res.status);
        if (res.status !== 400) return;
        // The front page answers a browser with an HTML page; everything else with the JSON error.
        if (route === '/') expect(res.text).toContain('<h1>Bad request</h1>');
        else expect(res.json<any>().error.message.length).toBeGreaterThan(0);
      }),
      { numRuns: 200 },
    );
  });
});
