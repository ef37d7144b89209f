// The story writer's batches (issue 15): however many items are pending, they are read, decided and
// written a batch at a time, and the stories do not depend on the batch size; a pass where every feed
// answered 304 never takes the story lock; retention prunes a batch of stories per transaction.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { createSilentLogger } from '../../../src/log.js';
import { createWorkerDeps } from '../../../src/worker/deps.js';
import type { Item } from '../../../src/model.js';
import type { Db } from '../../../src/store/db/db.js';
import { addFeed } from '../../../src/store/feeds.js';
import { SELECT_ASSIGNED_SINCE } from '../../../src/store/story-catch-up.js';
import { LOCK_STORIES, SELECT_PENDING } from '../../../src/store/stories.js';
import { assignPendingStories } from '../../../src/worker/stories/assign.js';
import { pruneOld } from '../../../src/worker/stories/prune.js';
import { runPass } from '../../../src/worker/worker.js';
import { describeEachDb, openTestDb, type TestDb } from '../../helpers/db.js';
import { rss } from '../../helpers/feeds.js';
import { startFixtureServer, type FixtureServer } from '../../helpers/fixture-server.js';
import { recordStatements } from '../../helpers/recorded-db.js';
import { headlineItem, storeItems } from '../../helpers/store.js';

const HOUR = 3_600_000;
const base = Date.UTC(2025, 4, 6, 8);

const item = (key: string, title: string, hours: number): Item =>
  headlineItem(key, title, new Date(base + hours * HOUR));

// Four events told by several outlets over two days, among unrelated headlines: enough hours pass for
// consolidation to run between batches.
const EVENTS = [
  'Volcano on Kalora island erupts, thousands flee the ash cloud',
  'Central bank raises interest rates by half a point to fight inflation',
  'Papal conclave begins as cardinals gather in the Sistine Chapel',
  'Floods in the river delta force evacuation of coastal villages',
];
const NOUNS =
  'orchestra glacier marathon vaccine satellite harvest museum airline reef startup library tunnel drought stadium ferry telescope bakery lottery pipeline vineyard'.split(
    ' ',
  );
const PLACES =
  'Oslo Lagos Lima Perth Quito Hanoi Turin Austin Dakar Bergen Cusco Malmo Tbilisi Nantes Leeds Porto Riga Sapporo Tromso Zadar'.split(
    ' ',
  );
const OTHERS =
  'rescue award strike recall merger lawsuit outage auction record reopening scandal ban fire closure upgrade discovery hike protest leak comeback'.split(
    ' ',
  );
const ITEMS: Item[] = [
  ...Array.from({ length: 24 }, (_, i) =>
    item(`ev${i}`, `${EVENTS[i % 4]} (report ${Math.floor(i / 4)} by outlet ${i % 5})`, i * 2),
  ),
  ...Array.from({ length: 20 }, (_, i) => item(`bg${i}`, `${NOUNS[i]} ${PLACES[i]} ${OTHERS[i]}`, i * 2.4)),
];

/** Each story as the sorted keys of its items, sorted: comparable across databases whatever the ids. */
async function partition(db: Db): Promise<string[][]> {
  const rows = (
    await db.query<{ keys: string[] }>(
      'SELECT array_agg(item_key ORDER BY item_key) AS keys FROM items GROUP BY story_id',
    )
  ).rows;
  return rows.map((r) => r.keys).sort((a, b) => a[0]!.localeCompare(b[0]!));
}

async function storeAll(db: Db): Promise<void> {
  const feeds: number[] = [];
  for (let f = 0; f < 3; f++)
    feeds.push(
      (
        await addFeed(db, {
          url: `https://outlet${f}.example/rss`,
          outlet: `Outlet ${f}`,
          section: null,
          title: null,
          site: null,
          region: null,
        })
      ).feed.id,
    );
  for (const [n, it] of ITEMS.entries()) await storeItems(db, feeds[n % 3]!, [it]);
}

let server: FixtureServer;
beforeAll(async () => {
  const feed = (n: number) => rss(`Feed ${n}`, [{ guid: `f${n}`, title: `Headline ${n} of a quiet day` }]);
  server = await startFixtureServer(
    Object.fromEntries(
      [0, 1, 2].map((n) => [
        `/f${n}.xml`,
        { headers: { etag: `"f${n}"`, 'content-type': 'application/rss+xml' }, body: feed(n) },
      ]),
    ),
  );
  for (const n of [0, 1, 2]) {
    server.set(`/f${n}.xml`, (req, res) => {
      if (req.headers['if-none-match'] === `"f${n}"`) return void res.writeHead(304, { etag: `"f${n}"` }).end();
      res.writeHead(200, { etag: `"f${n}"`, 'content-type': 'application/rss+xml' }).end(feed(n));
    });
  }
});
afterAll(() => server.close());

describeEachDb('story writer batches', (ctx) => {
  let other: TestDb;
  beforeAll(async () => {
    other = await openTestDb(ctx.backend);
  });
  afterAll(() => other.close());

  it('makes the same stories in batches smaller than what is pending as in one batch', async () => {
    await storeAll(ctx.db);
    await storeAll(other.db);
    const now = new Date(base + 3 * 24 * HOUR);
    const progress: Array<[number, number]> = [];
    const small = await assignPendingStories(ctx.db, {
      now,
      batchSize: 5,
      onProgress: (done, total) => progress.push([done, total]),
    });
    const whole = await assignPendingStories(other.db, { now, batchSize: 10_000 });
    expect(small.assigned).toBe(ITEMS.length);
    expect(whole.assigned).toBe(ITEMS.length);
    expect(progress.length).toBe(Math.ceil(ITEMS.length / 5));
    expect(progress.at(-1)).toEqual([ITEMS.length, ITEMS.length]);
    const stories = await partition(ctx.db);
    expect(stories).toEqual(await partition(other.db));
    // Related reports did group: the batches are compared on real stories, not on one per item.
    expect(stories.length).toBeLessThan(ITEMS.length - 10);
  });

  it('takes no story lock and reads nothing to catch up on in a pass where every feed answered 304', async () => {
    const recorded = recordStatements(ctx.db);
    // Only the fixture server's feeds are fetched.
    await ctx.db.query("UPDATE feeds SET state = 'disabled'");
    for (const n of [0, 1, 2])
      await addFeed(ctx.db, {
        url: server.url(`/f${n}.xml`),
        outlet: 'Quiet',
        section: null,
        title: null,
        site: null,
        region: null,
      });
    const deps = createWorkerDeps(
      recorded.db,
      loadConfig({ ALLOW_PRIVATE_HOSTS: server.hostPort }),
      createSilentLogger(),
    );
    const first = await runPass(deps, { everyFeed: true });
    expect(first.map((r) => r.outcome)).toEqual(['ok', 'ok', 'ok']);
    expect(recorded.statements).toContain(LOCK_STORIES);

    recorded.statements.length = 0;
    const second = await runPass(deps, { everyFeed: true });
    expect(second.map((r) => r.outcome)).toEqual(['not-modified', 'not-modified', 'not-modified']);
    expect(recorded.statements.length).toBeGreaterThan(0);
    for (const sql of [LOCK_STORIES, SELECT_ASSIGNED_SINCE, SELECT_PENDING])
      expect(recorded.statements).not.toContain(sql);
  });

  it('prunes a batch of stories per transaction, oldest first, until none is past the cut', async () => {
    const cut = new Date(base + 60 * HOUR);
    const before = await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM stories WHERE last_seen_at < $1', [
      cut,
    ]);
    expect(before.rows[0]!.n).toBeGreaterThan(4);
    const batches: Array<{ stories: number }> = [];
    const pruned = await pruneOld(ctx.db, { olderThan: cut, batchSize: 2, onBatch: (b) => batches.push(b) });
    const storyBatches = batches.filter((b) => b.stories > 0);
    expect(storyBatches.length).toBeGreaterThanOrEqual(Math.ceil(before.rows[0]!.n / 2));
    expect(Math.max(...storyBatches.map((b) => b.stories))).toBeLessThanOrEqual(2);
    expect(pruned.stories).toBe(before.rows[0]!.n);
    const left = await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM stories WHERE last_seen_at < $1', [
      cut,
    ]);
    expect(left.rows[0]!.n).toBe(0);
  });
});
