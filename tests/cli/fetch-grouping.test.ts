// `fetch --once` groups the new items while it fetches and says where the grouping is, as it says where
// the fetching is: "grouping n/total items" after each batch of the story writer (issue 15); --json
// prints the reports alone, as it does for the fetch lines.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPgliteDb } from '../../src/store/db/db.js';
import { runCli } from '../helpers/cli.js';
import { openTestDb, testBackends, type TestDb } from '../helpers/db.js';
import { rss, type FixtureEntry } from '../helpers/feeds.js';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server.js';

const FEEDS = ['a', 'b', 'c'];
const PER_FEED = 5;
const TOTAL = FEEDS.length * PER_FEED;

const entriesOf = (feed: string): FixtureEntry[] =>
  Array.from({ length: PER_FEED }, (_, i) => ({
    guid: `${feed}-${i}`,
    title: `Report ${i} from ${feed} on the harbour strike`,
    pubDate: `Tue, 06 May 2025 ${String(8 + i).padStart(2, '0')}:00:00 GMT`,
  }));

let server: FixtureServer;
let dir: string;
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'storyline-fetch-grouping-'));
  server = await startFixtureServer(
    Object.fromEntries(
      FEEDS.map((f) => [
        `/${f}.xml`,
        { headers: { 'content-type': 'application/rss+xml' }, body: rss(`Feed ${f}`, entriesOf(f)) },
      ]),
    ),
  );
  const outlines = FEEDS.map(
    (f) => `<outline type="rss" text="Feed ${f}" outlet="Outlet ${f}" xmlUrl="${server.url(`/${f}.xml`)}"/>`,
  ).join('\n');
  fs.writeFileSync(
    path.join(dir, 'sources.opml'),
    `<?xml version="1.0"?><opml version="2.0"><head><title>t</title></head><body>\n${outlines}\n</body></opml>`,
  );
});
afterAll(async () => {
  await server.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A fresh store for one run: a DATA_DIR of its own (embedded) or a schema on the Postgres server. */
async function freshStore(
  backend: 'pglite' | 'pg',
  name: string,
): Promise<{ env: Record<string, string>; assigned(): Promise<number>; close(): Promise<void> }> {
  if (backend === 'pg') {
    const handle: TestDb = await openTestDb('pg');
    const count = async () =>
      (await handle.db.query<{ n: number }>('SELECT count(story_id)::int AS n FROM items')).rows[0]!.n;
    return { env: handle.env, assigned: count, close: () => handle.close() };
  }
  const dataDir = path.join(dir, name);
  return {
    env: { DATA_DIR: dataDir },
    assigned: async () => {
      const db = await openPgliteDb(path.join(dataDir, 'pglite'));
      try {
        return (await db.query<{ n: number }>('SELECT count(story_id)::int AS n FROM items')).rows[0]!.n;
      } finally {
        await db.close();
      }
    },
    close: async () => undefined,
  };
}

for (const backend of testBackends()) {
  describe(`storyline fetch --once grouping progress [${backend}]`, () => {
    const env = () => ({
      SOURCES_FILE: path.join(dir, 'sources.opml'),
      ALLOW_PRIVATE_HOSTS: server.hostPort,
      STORY_BATCH: '4',
      FETCH_CONCURRENCY: '1',
    });

    it(
      'prints "grouping n/total items" after each batch, ending with every new item grouped',
      { timeout: 180_000 },
      async () => {
        const store = await freshStore(backend, 'progress');
        try {
          const run = await runCli(['fetch', '--once'], { ...env(), ...store.env }, 170_000);
          expect(run.code, run.stderr).toBe(0);
          const lines = run.stdout.split('\n').filter((l) => l.startsWith('grouping '));
          for (const line of lines) expect(line).toMatch(/^grouping \d+\/\d+ items$/);
          const counts = lines.map(
            (l) =>
              l
                .match(/(\d+)\/(\d+)/)!
                .slice(1)
                .map(Number) as [number, number],
          );
          // Batches of 4 in the order items were stored, the last one partial.
          expect(counts.map(([done]) => done)).toEqual([4, 8, 12, 15]);
          expect(counts.at(-1)).toEqual([TOTAL, TOTAL]);
          for (const [done, total] of counts) expect(done).toBeLessThanOrEqual(total);
          expect(run.stdout.trim().split('\n').at(-1)).toBe(
            `Fetched ${FEEDS.length} feeds: ${TOTAL} new items, 0 failed.`,
          );
          expect(await store.assigned()).toBe(TOTAL);
        } finally {
          await store.close();
        }
      },
    );

    it('prints no progress line with --json: the output is the reports alone', { timeout: 180_000 }, async () => {
      const store = await freshStore(backend, 'json');
      try {
        const run = await runCli(['fetch', '--once', '--json'], { ...env(), ...store.env }, 170_000);
        expect(run.code, run.stderr).toBe(0);
        const reports = JSON.parse(run.stdout) as Array<{ itemsNew: number }>;
        expect(reports.reduce((n, r) => n + r.itemsNew, 0)).toBe(TOTAL);
        expect(await store.assigned()).toBe(TOTAL);
      } finally {
        await store.close();
      }
    });
  });
}
