// When every feed fails, the real service says so: /api/feeds and the /feeds page show each feed
// failing with its error as soon as the worker's pass ends (their cache is dropped even though no
// item changed), and the front page names the reason instead of "the first fetch may still be running".
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '../helpers/db.js';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server.js';
import {
  eventually,
  openSharedDb,
  startStoryline,
  stopStoryline,
  writeSources,
  type SharedDb,
} from '../resilience/service.js';

let server: FixtureServer;
beforeAll(async () => {
  // Slow to fail, so the pages are asked for (and cached) while the first pass still runs.
  const slowly = (status: number) => (_req: unknown, res: import('node:http').ServerResponse) =>
    void setTimeout(() => res.writeHead(status).end('no'), 1500);
  server = await startFixtureServer({ '/gone-wrong.xml': slowly(500), '/moved-away.xml': slowly(404) });
});
afterAll(() => server.close());

for (const backend of testBackends()) {
  describe(`every feed failing [${backend}]`, () => {
    let shared: SharedDb;
    beforeAll(async () => {
      shared = await openSharedDb(backend);
    }, 120_000);
    afterAll(() => shared.close());

    it('is what /api/feeds, /feeds and the front page say, with the reason', { timeout: 180_000 }, async () => {
      const sources = writeSources(shared.dir, [server.url('/gone-wrong.xml'), server.url('/moved-away.xml')]);
      fs.renameSync(sources, path.join(shared.dir, 'failing.opml'));
      const cli = await startStoryline({
        ...shared.env,
        SOURCES_FILE: path.join(shared.dir, 'failing.opml'),
        ALLOW_PRIVATE_HOSTS: server.hostPort,
        PORT: '0',
        FETCH_SCHEDULE: '0 0 1 1 *',
      });
      try {
        // Asked for before the first pass ends, so a stale cached answer would stay.
        const early = (await (await fetch(`${cli.url}/api/feeds`)).json()) as { feeds: Array<{ status: string }> };
        expect(early.feeds.map((f) => f.status)).toEqual(['new', 'new']);
        expect(await (await fetch(`${cli.url}/feeds`)).text()).toContain('2 not fetched yet');
        await eventually(
          async () => {
            const { feeds } = (await (await fetch(`${cli.url}/api/feeds`)).json()) as {
              feeds: Array<{ status: string }>;
            };
            return feeds.length === 2 && feeds.every((f) => f.status === 'failing');
          },
          90_000,
          'both feeds reported failing by /api/feeds',
        );
        const page = await (await fetch(`${cli.url}/feeds`)).text();
        expect(page).toContain('<p>2 feeds: 2 failing.</p>');
        expect(page).toMatch(/<td>fetch: HTTP 500[^<]*<\/td>/);
        expect(page).toMatch(/<td>fetch: HTTP 404[^<]*<\/td>/);
        const home = await (await fetch(`${cli.url}/`)).text();
        expect(home).toMatch(
          /No stories: every feed is failing \(2 of 2\)\. The latest error, from Outlet [01]: “fetch: HTTP (404|500)[^”]*”\. See <a href="\/feeds">feed health<\/a>/,
        );
        expect(home).not.toContain('may still be running');
      } finally {
        await stopStoryline(cli, 'SIGTERM');
      }
    });
  });
}
