import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { openTestDb, testBackends, type TestDb } from '../helpers/db.js';
import { entries, rss } from '../helpers/feeds.js';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server.js';

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer({
    '/world.xml': { headers: { 'content-type': 'application/rss+xml' }, body: rss('World news', entries('world', 4)) },
    '/politics.xml': {
      headers: { 'content-type': 'application/rss+xml' },
      body: rss('Politics', entries('politics', 3)),
    },
    '/broken.xml': {
      headers: { 'content-type': 'application/rss+xml' },
      body: '<rss><channel><item><title>never closed',
    },
    '/extra.xml': {
      headers: { 'content-type': 'application/rss+xml' },
      body: rss('The Extra Gazette', entries('extra', 2)),
    },
    '/home': {
      headers: { 'content-type': 'text/html' },
      body: '<html><head><link rel="alternate" type="application/rss+xml" title="RSS" href="/extra.xml"></head><body></body></html>',
    },
  });
});
afterAll(() => server.close());

const opml = (origin: string) => `<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0"><head><title>Test sources</title></head><body>
  <outline text="Test Outlet" title="Test Outlet">
    <outline type="rss" text="World" outlet="Test Outlet" section="World" xmlUrl="${origin}/world.xml"/>
    <outline type="rss" text="Politics" outlet="Test Outlet" section="Politics" xmlUrl="${origin}/politics.xml"/>
  </outline>
  <outline type="rss" text="Broken" outlet="Broken Outlet" xmlUrl="${origin}/broken.xml"/>
</body></opml>`;

interface Report {
  url: string;
  outlet: string;
  section: string | null;
  status: string;
  error: string | null;
  items: number;
}

for (const backend of testBackends()) {
  // Each step spawns the real CLI (and, on PGlite, opens the embedded database): give it room.
  describe(`storyline CLI [${backend}]`, { timeout: 120_000 }, () => {
    let dir: string;
    let env: Record<string, string>;
    let handle: TestDb | null = null;
    beforeAll(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'storyline-cli-'));
      fs.writeFileSync(path.join(dir, 'sources.opml'), opml(server.origin));
      env = {
        DATA_DIR: path.join(dir, 'data'),
        SOURCES_FILE: path.join(dir, 'sources.opml'),
        ALLOW_PRIVATE_HOSTS: server.hostPort,
        FETCH_TIMEOUT: '5s',
      };
      if (backend === 'pg') {
        handle = await openTestDb('pg');
        env = { ...env, ...handle.env };
      }
    });
    afterAll(async () => {
      await handle?.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('fetch --once fetches every feed of SOURCES_FILE, prints progress, and records the broken one as its error', async () => {
      const run = await runCli(['fetch', '--once'], env);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/\[1\/3\]/);
      expect(run.stdout).toMatch(/\[3\/3\]/);
      expect(run.stdout).toMatch(/Fetched 3 feeds: 7 new items, 1 failed\./);
      // Logs are JSON lines naming the feed and the reason.
      const failure = run.stderr
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .find((l) => l.msg === 'feed refresh failed');
      expect(failure).toMatchObject({ feed_url: `${server.origin}/broken.xml`, error_kind: 'parse' });
      expect(String(failure!.reason)).toMatch(/^parse: /);
    });

    it('feeds list --json reports every feed with outlet, status, error and item count', async () => {
      const run = await runCli(['feeds', 'list', '--json'], env);
      expect(run.code, run.stderr).toBe(0);
      const feeds = JSON.parse(run.stdout) as Report[];
      const byUrl = new Map(feeds.map((f) => [f.url.replace(server.origin, ''), f]));
      expect(byUrl.get('/world.xml')).toMatchObject({
        outlet: 'Test Outlet',
        section: 'World',
        status: 'ok',
        error: null,
        items: 4,
      });
      expect(byUrl.get('/politics.xml')).toMatchObject({ outlet: 'Test Outlet', status: 'ok', items: 3 });
      expect(byUrl.get('/broken.xml')).toMatchObject({ outlet: 'Broken Outlet', status: 'failing', items: 0 });
      expect(byUrl.get('/broken.xml')!.error).toMatch(/^parse: /);
      const table = await runCli(['feeds', 'list'], env);
      expect(table.stdout).toMatch(/ok\s+4 .*Test Outlet \/ World/);
    });

    it('feeds add resolves a web page to its feed by autodiscovery', async () => {
      const run = await runCli(['feeds', 'add', `${server.origin}/home`, '--section', 'Front'], env);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toContain(`Added: `);
      expect(run.stdout).toContain(`The Extra Gazette ${server.origin}/extra.xml`);
    });

    it('exports OPML that imports into another database as the same feeds, and removes a feed', async () => {
      const file = path.join(dir, 'export.opml');
      expect((await runCli(['feeds', 'export', file], env)).code).toBe(0);
      const other = { ...env, DATA_DIR: path.join(dir, 'other'), DATABASE_URL: '' };
      const imported = await runCli(['feeds', 'import', file], { ...other, SOURCES_FILE: file });
      expect(imported.code, imported.stderr).toBe(0);
      const listed = (r: string) => (JSON.parse(r) as Report[]).map((f) => [f.url, f.outlet, f.section]).sort();
      const original = await runCli(['feeds', 'list', '--json'], env);
      const copy = await runCli(['feeds', 'list', '--json'], { ...other, SOURCES_FILE: file });
      expect(listed(copy.stdout)).toEqual(listed(original.stdout));

      const removed = await runCli(['feeds', 'remove', `${server.origin}/broken.xml`], env);
      expect(removed.stdout).toContain('Removed');
    });
  });
}

describe('storyline CLI without a database', () => {
  it('prints the configuration table and rejects a bad setting clearly', async () => {
    const table = await runCli(['config'], {});
    expect(table.stdout).toContain('| `DATABASE_URL` |');
    const bad = await runCli(['feeds', 'list'], { FETCH_TIMEOUT: 'soon' });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('FETCH_TIMEOUT must be a duration');
  });
});
