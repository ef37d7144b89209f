// Names and titles as the real service serves them: markup in an outlet's name (from the sources
// file or the admin API) is stripped as feed titles are, and bidi controls in titles and names reach
// no output (RSS, Atom, JSON Feed, the API, OPML, the pages) and no log line.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '../helpers/db.js';
import { rss } from '../helpers/feeds.js';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server.js';
import {
  eventually,
  openSharedDb,
  startStoryline,
  stopStoryline,
  type RunningCli,
  type SharedDb,
} from '../resilience/service.js';
import fs from 'node:fs';
import path from 'node:path';

const RLO = '\u202E';
const ISOLATE = '\u2067';
/** A bidi control raw, as a JSON escape, or as an XML/HTML character reference. */
const BIDI = /[\u202A-\u202E\u2066-\u2069]|\\u20(2[a-e]|6[6-9])|&#x0*20(2[a-e]|6[6-9]);|&#(82(3[4-8])|829[4-7]);/i;
const TOKEN = 'names-test-admin-token';

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer({
    '/daily.xml': {
      body: rss('Daily', [
        { guid: 'd1', title: `Harbour bridge ${RLO}reopens${ISOLATE} early`, description: `Crews ${RLO}finished` },
      ]),
    },
    '/agg.xml': {
      body: rss('Aggregator', [
        {
          guid: 'g1',
          title: 'Cardinals gather in Vatican - Wire <b>Service</b>',
          source: { name: `Wire <b>Service</b>${RLO}`, url: 'https://wire.example/' },
        },
      ]),
    },
    '/other.xml': { body: rss('Other', [{ guid: 'o1', title: 'Markets steady after rate decision' }]) },
  });
});
afterAll(() => server.close());

const opml = (origin: string) => `<?xml version="1.0"?><opml version="2.0"><head><title>t</title></head><body>
<outline type="rss" text="Daily" outlet="&lt;b&gt;Daily&lt;/b&gt; News${RLO}" section="&lt;i&gt;World&lt;/i&gt;" xmlUrl="${origin}/daily.xml"/>
<outline type="rss" text="Agg" outlet="Aggregator" xmlUrl="${origin}/agg.xml"/>
</body></opml>`;

for (const backend of testBackends()) {
  describe(`names and titles in every output [${backend}]`, () => {
    let shared: SharedDb;
    let cli: RunningCli;
    beforeAll(async () => {
      shared = await openSharedDb(backend);
      fs.writeFileSync(path.join(shared.dir, 'sources.opml'), opml(server.origin));
      cli = await startStoryline({
        ...shared.env,
        SOURCES_FILE: path.join(shared.dir, 'sources.opml'),
        ALLOW_PRIVATE_HOSTS: server.hostPort,
        PORT: '0',
        ADMIN_TOKEN: TOKEN,
        FETCH_SCHEDULE: '* * * * * *',
      });
    }, 180_000);
    afterAll(async () => {
      if (cli) await stopStoryline(cli, 'SIGTERM');
      await shared?.close();
    });

    it(
      'strips markup from outlet names and bidi controls from everything served and logged',
      { timeout: 120_000 },
      async () => {
        const added = await fetch(`${cli.url}/api/admin/feeds`, {
          method: 'POST',
          headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            url: server.url('/other.xml'),
            outlet: `<i>Other</i>${ISOLATE} Paper`,
            section: '<b>Money</b>',
          }),
        });
        expect(added.status).toBe(201);
        expect(await added.json()).toMatchObject({ outlet: 'Other Paper', section: 'Money' });
        await eventually(
          async () => {
            const { items } = (await (await fetch(`${cli.url}/api/items`)).json()) as { items: unknown[] };
            return items.length === 3;
          },
          60_000,
          'all three items stored',
        );

        const { outlets } = (await (await fetch(`${cli.url}/api/outlets`)).json()) as {
          outlets: Array<{ name: string }>;
        };
        expect(outlets.map((o) => o.name).sort()).toEqual(['Aggregator', 'Daily News', 'Other Paper']);
        const { items } = (await (await fetch(`${cli.url}/api/items`)).json()) as {
          items: Array<{ title: string; source: string | null; outlet: { name: string } }>;
        };
        expect(items.map((i) => [i.outlet.name, i.title, i.source]).sort()).toEqual([
          ['Aggregator', 'Cardinals gather in Vatican', 'Wire Service'],
          ['Daily News', 'Harbour bridge reopens early', null],
          ['Other Paper', 'Markets steady after rate decision', null],
        ]);

        const paths = [
          '/feed.xml?view=items',
          '/feed.atom?view=items',
          '/feed.json?view=items',
          '/feed.xml',
          '/feed.atom',
          '/feed.json',
          '/api/items',
          '/api/stories',
          '/api/outlets',
          '/api/feeds',
          '/api/feeds.opml',
          '/',
          '/feeds',
          '/api/search?q=harbour',
        ];
        for (const p of paths) {
          const res = await fetch(cli.url + p);
          const body = await res.text();
          expect(res.status, p).toBe(200);
          expect(BIDI.exec(body)?.[0], `${p} carries a bidi control`).toBeUndefined();
          expect(body, p).not.toMatch(/&lt;\/?[bi]&gt;|&amp;lt;|<\/?[bi]>(Daily|World|Other|Money|Service)/);
        }
        const atom = await (await fetch(`${cli.url}/feed.atom?view=items`)).text();
        expect(atom).toContain('<name>Daily News</name>');
        const rssBody = await (await fetch(`${cli.url}/feed.xml?view=items`)).text();
        expect(rssBody).toContain('<dc:creator>Daily News</dc:creator>');
        const opmlBody = await (await fetch(`${cli.url}/api/feeds.opml`)).text();
        expect(opmlBody).toContain('outlet="Daily News"');
        expect(opmlBody).toContain('section="World"');
        const logged = cli.logs.map((l) => JSON.stringify(l)).join('\n') + cli.text.join('\n');
        expect(BIDI.exec(logged)?.[0], 'a log line carries a bidi control').toBeUndefined();
      },
    );

    it(
      'refuses an OPML outline with a 4 MB attribute with a 400 naming it, and caps long names',
      { timeout: 60_000 },
      async () => {
        const post = (body: string) =>
          fetch(`${cli.url}/api/admin/opml`, {
            method: 'POST',
            headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'text/x-opml' },
            body,
          });
        const doc = (outlet: string, url: string) =>
          `<?xml version="1.0"?><opml version="2.0"><head><title>t</title></head><body><outline type="rss" text="Big" outlet="${outlet}" xmlUrl="${url}"/></body></opml>`;
        const huge = await post(doc('x'.repeat(4 * 1024 * 1024), 'https://big.example/rss'));
        expect(huge.status).toBe(400);
        expect(((await huge.json()) as { error: { message: string } }).error.message).toBe(
          'sources: the outline for "https://big.example/rss": its outlet attribute is 4194304 characters long; at most 10000 are accepted',
        );
        const long = await post(doc(`Long ${'name '.repeat(1500)}`, 'https://long.example/rss'));
        expect(long.status).toBe(200);
        const { feeds } = (await (await fetch(`${cli.url}/api/feeds`)).json()) as {
          feeds: Array<{ url: string; outlet: string }>;
        };
        const stored = feeds.find((f) => f.url === 'https://long.example/rss')!;
        expect(stored.outlet.length).toBeLessThanOrEqual(200);
        expect(stored.outlet).toMatch(/^Long name name .*…$/);
      },
    );
  });
}
