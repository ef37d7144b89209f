// A worker killed with SIGKILL in the middle of a fetch pass, then restarted: nothing it stored is
// lost or stored again, the feeds it held are fetched once their lease runs out (at once on the
// embedded database, whose leases are released at start), and every item ends in a story whose
// counts add up.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/store/db/db.js';
import { testBackends } from '../helpers/db.js';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server.js';
import {
  addSlowFeeds,
  eventually,
  openSharedDb,
  startStoryline,
  stopStoryline,
  writeSources,
  type SharedDb,
} from './service.js';
import { expectStoriesConsistent } from './stories-check.js';

const FEEDS = 12;
const ITEMS_PER_FEED = 3;
const LEASE_MS = 3000;

let fixtures: FixtureServer;
beforeAll(async () => {
  fixtures = await startFixtureServer();
});
afterAll(() => fixtures.close());

interface StoredItem {
  id: number;
  url: string;
  item_key: string;
}

const SELECT_ITEMS =
  'SELECT i.id::int AS id, f.url, i.item_key FROM items i JOIN feeds f ON f.id = i.feed_id ORDER BY i.id';

async function readDb<T>(shared: SharedDb, read: (db: Db) => Promise<T>): Promise<T> {
  const db = await shared.open();
  try {
    return await read(db);
  } finally {
    await db.close();
  }
}

for (const backend of testBackends()) {
  describe(`SIGKILL in the middle of a pass, then a restart [${backend}]`, () => {
    let shared: SharedDb;
    beforeAll(async () => {
      shared = await openSharedDb(backend);
    });
    afterAll(() => shared.close());

    it('loses nothing, stores nothing twice, frees the dead worker’s feeds after their lease, and groups every item', async () => {
      const { urls, hits } = addSlowFeeds(fixtures, `kill-${backend}`, FEEDS, {
        delayMs: 1000,
        perFeed: ITEMS_PER_FEED,
      });
      const env = {
        ...shared.env,
        SOURCES_FILE: writeSources(shared.dir, urls),
        ALLOW_PRIVATE_HOSTS: fixtures.hostPort,
        PORT: '0',
        RUN: 'worker,server',
        FETCH_SCHEDULE: '* * * * * *',
        FETCH_LEASE: `${LEASE_MS}ms`,
        FETCH_CONCURRENCY: '2',
        FETCH_PER_HOST: '2',
      };

      // First life: killed once a few feeds are stored and others are in flight.
      const first = await startStoryline(env);
      const refreshed = (l: { msg: string }) => l.msg === 'feed refreshed';
      await first.waitForLog(
        () => first.count(refreshed) >= 3 && hits.length > first.count(refreshed),
        60_000,
        'three feeds stored and one in flight',
      );
      const killed = await stopStoryline(first, 'SIGKILL');
      const killedAt = Date.now();
      expect(killed.signal).toBe('SIGKILL');
      const storedBeforeKill = new Set(first.logs.filter(refreshed).map((l) => String(l.feed_url)));

      const afterKill = await readDb(shared, async (db) => ({
        items: (await db.query<StoredItem>(SELECT_ITEMS)).rows,
        locked: (
          await db.query<{ url: string; locked_until: Date }>(
            'SELECT url, locked_until FROM feeds WHERE locked_by IS NOT NULL',
          )
        ).rows,
      }));
      // What the log called stored was committed: every item of those feeds is there.
      for (const url of storedBeforeKill)
        expect(
          afterKill.items.filter((i) => i.url === url),
          url,
        ).toHaveLength(ITEMS_PER_FEED);
      expect(afterKill.locked.length, 'the dead worker held leases').toBeGreaterThan(0);
      for (const { locked_until } of afterKill.locked)
        expect(locked_until.getTime()).toBeLessThanOrEqual(killedAt + LEASE_MS + 1000);

      // Second life: every feed gets fetched, those the dead worker held once their lease ran out.
      const restartedAt = Date.now();
      const second = await startStoryline(env);
      const readyAt = Date.now();
      try {
        await eventually(
          async () => {
            const { feeds } = (await (await fetch(`${second.url}/api/feeds`)).json()) as {
              feeds: Array<{ status: string; items: number }>;
            };
            return feeds.length === FEEDS && feeds.every((f) => f.status === 'ok' && f.items === ITEMS_PER_FEED);
          },
          60_000,
          'every feed fetched after the restart',
        );
        // Only one process can open an embedded database: its leases are all stale, and released at start.
        const released = second.logs.find((l) => l.msg === 'stale leases released');
        if (backend === 'pglite')
          expect(released?.feeds, 'leases released at the embedded start').toBe(afterKill.locked.length);
        else expect(released, 'a Postgres server’s leases may belong to live workers').toBeUndefined();
        for (const { url, locked_until } of afterKill.locked) {
          const again = hits.find((h) => fixtures.url(h.path) === url && h.at >= restartedAt);
          expect(again, `${url} fetched after the restart`).toBeDefined();
          if (backend === 'pg')
            expect(again!.at, `${url} waited for its lease`).toBeGreaterThanOrEqual(locked_until.getTime() - 1000);
          // Claimable from its lease's end (a pass here: 12 feeds, 2 at a time, 1 s each). A bound on
          // "stayed locked", generous enough that a loaded machine's slowness cannot reach it.
          expect(again!.at, `${url} stayed locked past its lease`).toBeLessThan(
            Math.max(locked_until.getTime(), readyAt) + (FEEDS / 2) * 1000 + 40_000,
          );
        }
        expect(
          second.logs
            .filter(refreshed)
            .map((l) => String(l.feed_url))
            .filter((u) => storedBeforeKill.has(u)),
          'stored feeds fetched again',
        ).toEqual([]);
      } finally {
        expect((await stopStoryline(second, 'SIGTERM')).code).toBe(0);
      }

      await readDb(shared, async (db) => {
        const items = (await db.query<StoredItem>(SELECT_ITEMS)).rows;
        expect(items).toHaveLength(FEEDS * ITEMS_PER_FEED);
        const before = afterKill.items.map((i) => `${i.id} ${i.url} ${i.item_key}`);
        expect(items.map((i) => `${i.id} ${i.url} ${i.item_key}`)).toEqual(expect.arrayContaining(before));
        const newItems = await db.query<{ url: string; n: number }>(
          'SELECT f.url, sum(l.items_new)::int AS n FROM fetch_log l JOIN feeds f ON f.id = l.feed_id GROUP BY f.url',
        );
        for (const row of newItems.rows) expect(row.n, `${row.url}: items stored`).toBe(ITEMS_PER_FEED);
        expect((await db.query('SELECT id FROM feeds WHERE locked_by IS NOT NULL')).rows).toEqual([]);
        await expectStoriesConsistent(db);
      });
    }, 180_000);
  });
}
