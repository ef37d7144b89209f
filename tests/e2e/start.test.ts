import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCli, waitForOutput } from '../helpers/cli.js';
import { openTestDb, testBackends, type TestDb } from '../helpers/db.js';
import { rss } from '../helpers/feeds.js';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server.js';

let server: FixtureServer;
beforeAll(async () => {
  const at = (h: number) => new Date(Date.UTC(2025, 4, 6, h)).toUTCString();
  server = await startFixtureServer({
    '/guardian.xml': {
      body: rss('The Guardian world', [
        { guid: 'g1', title: 'Sheinbaum rejects Trump offer to send US troops into Mexico', pubDate: at(9) },
        { guid: 'g2', title: 'Pope conclave begins as cardinals gather in Vatican', pubDate: at(8) },
      ]),
    },
    '/pbs.xml': {
      body: rss('PBS NewsHour', [
        { guid: 'p1', title: 'Mexico president Sheinbaum says she rejected Trump offer of US troops', pubDate: at(10) },
      ]),
    },
  });
});
afterAll(() => server.close());

const opml = (origin: string) => `<?xml version="1.0"?><opml version="2.0"><head><title>t</title></head><body>
<outline type="rss" text="World" outlet="The Guardian" section="World" xmlUrl="${origin}/guardian.xml"/>
<outline type="rss" text="Headlines" outlet="PBS NewsHour" section="Headlines" xmlUrl="${origin}/pbs.xml"/>
</body></opml>`;

for (const backend of testBackends()) {
  describe(`storyline start [${backend}]`, () => {
    let dir: string;
    let handle: TestDb | null = null;
    beforeAll(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'storyline-e2e-'));
      fs.writeFileSync(path.join(dir, 'sources.opml'), opml(server.origin));
      if (backend === 'pg') handle = await openTestDb('pg');
    });
    afterAll(async () => {
      await handle?.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it(
      'fills the database from SOURCES_FILE, serves the items in /feed.xml, and exits 0 on SIGTERM',
      { timeout: 120_000 },
      async () => {
        const env = {
          DATA_DIR: path.join(dir, 'data'),
          SOURCES_FILE: path.join(dir, 'sources.opml'),
          ALLOW_PRIVATE_HOSTS: server.hostPort,
          PORT: '0',
          ...(handle?.env ?? {}),
        };
        const child = startCli(['start'], env);
        const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
        try {
          const [, url] = await waitForOutput(child, /running at (http:\/\/\S+?)\/ /);
          let body = '';
          for (let i = 0; i < 60 && !body.includes('Pope conclave'); i++) {
            await new Promise((r) => setTimeout(r, 500));
            body = await (await fetch(`${url}/feed.xml?view=items`)).text();
          }
          expect(body).toContain('<rss');
          expect(body).toContain('Sheinbaum rejects Trump offer to send US troops into Mexico');
          expect(body).toContain('Pope conclave begins');
          const { feeds } = (await (await fetch(`${url}/api/feeds`)).json()) as {
            feeds: Array<{ url: string; items: number; status: string }>;
          };
          expect(feeds.map((f) => [f.url.replace(server.origin, ''), f.status, f.items]).sort()).toEqual([
            ['/guardian.xml', 'ok', 2],
            ['/pbs.xml', 'ok', 1],
          ]);
          // Two outlets' reports of the same event are one story; the other event is another. Stories are
          // assigned once the pass has stored every feed: they may come a moment after the items.
          let stories = { stories: [] as Array<{ headline: string; itemCount: number; outletCount: number }> };
          for (let i = 0; i < 60 && stories.stories.length < 2; i++) {
            if (i > 0) await new Promise((r) => setTimeout(r, 500));
            stories = (await (await fetch(`${url}/api/stories`)).json()) as typeof stories;
          }
          expect(stories.stories.map((s) => [s.itemCount, s.outletCount]).sort()).toEqual([
            [1, 1],
            [2, 2],
          ]);
        } finally {
          child.kill('SIGTERM');
        }
        expect(await exited).toBe(0);
      },
    );
  });
}
