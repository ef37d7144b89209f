// `fetch --once` says what it did not fetch and why: feeds another run holds (on a shared Postgres
// server), gone ones. "Fetched 1 feeds" of 4 with no word on the other three is a puzzle.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addFeed, claimDueFeeds } from '../../src/store/feeds.js';
import { runCli } from '../helpers/cli.js';
import { openTestDb, serverDatabaseUrl, type TestDb } from '../helpers/db.js';
import { entries, rss } from '../helpers/feeds.js';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server.js';

let server: FixtureServer;
let dir: string;
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'storyline-fetch-'));
  fs.writeFileSync(
    path.join(dir, 'none.opml'),
    '<?xml version="1.0"?><opml version="2.0"><head><title>none</title></head><body/></opml>',
  );
  server = await startFixtureServer(
    Object.fromEntries(['a', 'b', 'c', 'd'].map((n) => [`/${n}.xml`, { body: rss(n, entries(n, 2)) }])),
  );
});
afterAll(async () => {
  await server.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!serverDatabaseUrl)('storyline fetch --once beside another worker [pg]', () => {
  let handle: TestDb;
  beforeAll(async () => {
    handle = await openTestDb('pg');
  });
  afterAll(() => handle.close());

  it('fetches what is free and names the feeds another run holds and the gone ones', { timeout: 120_000 }, async () => {
    const source = (n: string) => ({
      url: server.url(`/${n}.xml`),
      outlet: `Outlet ${n}`,
      section: null,
      title: null,
      site: null,
      region: null,
    });
    for (const n of ['a', 'b', 'c', 'd']) await addFeed(handle.db, source(n));
    await handle.db.query("UPDATE feeds SET state = 'gone' WHERE url = $1", [server.url('/d.xml')]);
    const now = new Date();
    const held = await claimDueFeeds(handle.db, { now, limit: 2, leaseMs: 10 * 60_000, workerId: 'web-1:42:abc' });
    expect(held.map((f) => f.url).sort()).toEqual([server.url('/a.xml'), server.url('/b.xml')]);
    const leaseEnd = new Date(now.getTime() + 10 * 60_000).toISOString().slice(11, 16);

    const run = await runCli(['fetch', '--once'], {
      ...handle.env,
      SOURCES_FILE: path.join(dir, 'none.opml'),
      ALLOW_PRIVATE_HOSTS: server.hostPort,
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(
      `Fetched 1 feeds: 2 new items, 0 failed. Skipped 3 feeds: 2 leased by another run (a worker is fetching them; the leases end by ${leaseEnd} UTC), 1 gone (the server answered 410; not polled any more).`,
    );
    expect(server.requests.map((r) => r.path)).toEqual(['/c.xml']);
  });
});
