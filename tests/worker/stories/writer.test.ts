import { describe, expect, it } from 'vitest';
import type { Item } from '../../../src/model.js';
import { openPgDb, type Db } from '../../../src/store/db/db.js';
import { addFeed } from '../../../src/store/feeds.js';
import { resolveStoryId } from '../../../src/store/stories.js';
import { assignPendingStories } from '../../../src/worker/stories/assign.js';
import { catchUpStories } from '../../../src/worker/stories/catch-up.js';
import { pruneOld } from '../../../src/worker/stories/prune.js';
import { regroupAll } from '../../../src/worker/stories/recluster.js';
import { describeEachDb } from '../../helpers/db.js';
import { headlineItem, storeItems } from '../../helpers/store.js';

const DAY = 86_400_000;
const base = Date.UTC(2025, 4, 6, 8);

const item = (key: string, title: string, hours: number, over: Partial<Item> = {}): Item =>
  headlineItem(key, title, new Date(base + hours * 3_600_000), over);

// A background of unrelated headlines, so document frequencies mean something.
const background = Array.from({ length: 60 }, (_, i) =>
  item(`bg${i}`, `Local council ${i} approves budget for road ${i} repairs in district ${i % 7}`, -48 + i / 2),
);

const mexico = [
  item('ap1', 'Mexico President Claudia Sheinbaum rejects Trump offer to send US troops to fight cartels', 1),
  item('rt1', 'Sheinbaum says she rejected Trump offer of US troops to fight Mexican drug cartels', 2),
  item('gu1', 'Claudia Sheinbaum turned down Trump proposal for US troops in Mexico against cartels', 3),
];
const conclave = [
  item('ap2', 'Cardinals gather in Vatican as papal conclave to elect new pope begins', 1),
  item('bbc2', 'Papal conclave begins: cardinals meet in Sistine Chapel to elect new pope', 2),
];

async function storyOf(db: Db, key: string): Promise<number> {
  const r = await db.query<{ story_id: number }>('SELECT story_id FROM items WHERE item_key = $1', [key]);
  return r.rows[0]!.story_id;
}

describeEachDb('story writer', (ctx) => {
  let feeds: number[] = [];
  const store = async (feedIndex: number, items: Item[]) => storeItems(ctx.db, feeds[feedIndex]!, items);

  it('puts every item in exactly one story, related reports together, unrelated ones apart', async () => {
    for (const outlet of ['Associated Press', 'Reuters', 'The Guardian', 'BBC News', 'Local Herald']) {
      feeds.push(
        (
          await addFeed(ctx.db, {
            url: `https://${outlet.replace(/\W/g, '')}.example/rss`,
            outlet,
            section: null,
            title: null,
            site: null,
            region: null,
          })
        ).feed.id,
      );
    }
    await store(4, background);
    await store(0, [mexico[0]!, conclave[0]!]);
    await store(1, [mexico[1]!]);
    await store(2, [mexico[2]!]);
    await store(3, [conclave[1]!]);
    const now = new Date(base + 4 * 3_600_000);
    const result = await assignPendingStories(ctx.db, { now });
    expect(result.assigned).toBe(background.length + 5);
    expect(await assignPendingStories(ctx.db, { now })).toEqual({ assigned: 0, created: 0, merged: 0 });

    const unassigned = await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM items WHERE story_id IS NULL');
    expect(unassigned.rows[0]!.n).toBe(0);
    const m = await Promise.all(['ap1', 'rt1', 'gu1'].map((k) => storyOf(ctx.db, k)));
    const c = await Promise.all(['ap2', 'bbc2'].map((k) => storyOf(ctx.db, k)));
    expect(new Set(m).size).toBe(1);
    expect(new Set(c).size).toBe(1);
    expect(m[0]).not.toBe(c[0]);

    const story = await ctx.db.query<{ item_count: number; outlet_count: number; headline: string }>(
      'SELECT item_count, outlet_count, headline FROM stories WHERE id = $1',
      [m[0]],
    );
    expect(story.rows[0]).toMatchObject({ item_count: 3, outlet_count: 3 });
    expect(mexico.map((i) => i.title)).toContain(story.rows[0]!.headline);
    const why = await ctx.db.query<{ reason: string; score: number; shared_terms: string[] }>(
      "SELECT reason, score, shared_terms FROM story_assignments a JOIN items i ON i.id = a.item_id WHERE i.item_key = 'rt1'",
    );
    expect(why.rows[0]!.reason).toBe('similar');
    expect(why.rows[0]!.score).toBeGreaterThan(0);
    expect(why.rows[0]!.shared_terms.join(' ')).toMatch(/sheinbaum|troop|cartel/i);
    const topics = await ctx.db.query<{ slug: string }>(
      'SELECT t.slug FROM story_topics st JOIN topics t ON t.id = st.topic_id WHERE st.story_id = $1',
      [m[0]],
    );
    expect(topics.rows.map((t) => t.slug)).toContain('claudia-sheinbaum');
    expect(topics.rows.map((t) => t.slug)).not.toContain('says');
  });

  it('readies a fresh process before its first pass: caught up, its next item joins the story it belongs to', async () => {
    // What a fresh process restores its index from: each assigned item's stored terms and names.
    const stored = await ctx.db.query<{ n: number; bare: number }>(
      "SELECT count(*)::int AS n, count(*) FILTER (WHERE json_array_length(features->'terms') = 0)::int AS bare FROM item_features",
    );
    expect(stored.rows[0]!.n).toBeGreaterThan(0);
    expect(stored.rows[0]!.bare).toBe(0);
    const fresh: Db = ctx.backend === 'pg' ? openPgDb({ connectionString: ctx.env.DATABASE_URL! }) : ctx.db;
    try {
      await catchUpStories(fresh);
      await store(2, [item('gu2', 'Conclave begins: cardinals gather in the Sistine Chapel to elect a new pope', 4)]);
      expect((await assignPendingStories(fresh, { now: new Date(base + DAY) })).assigned).toBe(1);
    } finally {
      if (fresh !== ctx.db) await fresh.close();
    }
    expect(await storyOf(ctx.db, 'gu2')).toBe(await storyOf(ctx.db, 'ap2'));
  });

  it('marks a wire copy republished by another feed and does not count it as another outlet', async () => {
    const copy = item('copy1', mexico[0]!.title, 5, {
      url: 'https://mirror.example/ap-copy',
      canonicalUrl: 'https://mirror.example/ap-copy',
    });
    await store(4, [copy]);
    await assignPendingStories(ctx.db, { now: new Date(base + 6 * 3_600_000) });
    const row = await ctx.db.query<{ story_id: number; copy_of: number | null; reason: string }>(
      "SELECT i.story_id, i.copy_of, a.reason FROM items i JOIN story_assignments a ON a.item_id = i.id WHERE i.item_key = 'copy1'",
    );
    expect(row.rows[0]!.reason).toBe('copy');
    expect(row.rows[0]!.copy_of).not.toBeNull();
    expect(row.rows[0]!.story_id).toBe(await storyOf(ctx.db, 'ap1'));
    const story = await ctx.db.query<{ item_count: number; outlet_count: number }>(
      'SELECT item_count, outlet_count FROM stories WHERE id = $1',
      [row.rows[0]!.story_id],
    );
    expect(story.rows[0]).toEqual({ item_count: 4, outlet_count: 3 });
  });

  it('starts a new story for a related item a week later', async () => {
    await store(0, [item('late', 'Sheinbaum meets Trump envoy on troops and cartels in Mexico City', 24 * 9)]);
    await assignPendingStories(ctx.db, { now: new Date(base + 10 * DAY) });
    expect(await storyOf(ctx.db, 'late')).not.toBe(await storyOf(ctx.db, 'ap1'));
  });

  it('never puts an item in two stories when two processes assign at once', async () => {
    const more = Array.from({ length: 40 }, (_, i) =>
      item(
        `conc${i}`,
        i % 2
          ? `Tariff talks ${i % 4} between US and China resume in Geneva`
          : `Flooding in region ${i % 3} forces evacuations`,
        24 * 10 + i / 10,
      ),
    );
    await store(0, more.slice(0, 20));
    await store(1, more.slice(20));
    // A second pool is a second process as far as the database can tell.
    const second: Db = ctx.backend === 'pg' ? openPgDb({ connectionString: ctx.env.DATABASE_URL! }) : ctx.db;
    try {
      const now = new Date(base + 11 * DAY);
      await Promise.all([
        assignPendingStories(ctx.db, { now, batchSize: 7 }),
        assignPendingStories(second, { now, batchSize: 5 }),
      ]);
    } finally {
      if (second !== ctx.db) await second.close();
    }
    const twice = await ctx.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM items i JOIN story_assignments a ON a.item_id = i.id WHERE a.story_id <> i.story_id',
    );
    expect(twice.rows[0]!.n).toBe(0);
    const counts = await ctx.db.query<{ bad: number }>(
      'SELECT count(*)::int AS bad FROM stories s WHERE s.merged_into IS NULL AND s.item_count <> (SELECT count(*) FROM items i WHERE i.story_id = s.id)',
    );
    expect(counts.rows[0]!.bad).toBe(0);
    const pending = await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM items WHERE story_id IS NULL');
    expect(pending.rows[0]!.n).toBe(0);
    // Each process read the other's storylines back: every live story is in one live storyline, counted once.
    const unlinked = await ctx.db.query<{ n: number }>(`
      SELECT count(*)::int AS n FROM stories s LEFT JOIN storylines l ON l.id = s.storyline_id
      WHERE s.merged_into IS NULL AND (l.id IS NULL OR l.merged_into IS NOT NULL)`);
    expect(unlinked.rows[0]!.n).toBe(0);
    const lineCounts = await ctx.db.query<{ stories: number; counted: number }>(`
      SELECT (SELECT count(*)::int FROM stories WHERE merged_into IS NULL) AS stories,
             (SELECT coalesce(sum(story_count), 0)::int FROM storylines WHERE merged_into IS NULL) AS counted`);
    expect(lineCounts.rows[0]!.counted).toBe(lineCounts.rows[0]!.stories);
    // Topic counts moved by the rows each batch changed agree with a recount.
    const topicCounts = await ctx.db.query<{ n: number }>(`
      SELECT count(*)::int AS n FROM topics t
      WHERE t.story_count <> (SELECT count(*) FROM story_topics st JOIN stories s ON s.id = st.story_id AND s.merged_into IS NULL WHERE st.topic_id = t.id)`);
    expect(topicCounts.rows[0]!.n).toBe(0);
  });

  it('consolidates stories that turned out to be one event as item time passes the hour, recording the merge so old ids resolve', async () => {
    const now = new Date(base + 13 * DAY);
    const split = [
      item('split1', 'Volcano erupts on Kalora island forcing thousands to flee the ash cloud', 24 * 12),
      item('split2', 'Kalora island volcano erupts, thousands flee the ash cloud', 24 * 12 + 1),
    ];
    const ids = [...(await store(2, [split[0]!])).inserted, ...(await store(3, [split[1]!])).inserted];
    // Two stories for one event, as if each report had arrived before the other could be matched.
    const storyIds: number[] = [];
    for (const [n, id] of ids.entries()) {
      const s = await ctx.db.query<{ id: number }>(
        'INSERT INTO stories (headline, first_seen_at, last_seen_at, item_count) VALUES ($1, $2, $2, 1) RETURNING id',
        [split[n]!.title, split[n]!.publishedAt],
      );
      storyIds.push(s.rows[0]!.id);
      await ctx.db.query('UPDATE items SET story_id = $1 WHERE id = $2', [s.rows[0]!.id, id]);
      await ctx.db.query("INSERT INTO story_assignments (item_id, story_id, reason) VALUES ($1, $2, 'new-story')", [
        id,
        s.rows[0]!.id,
      ]);
    }
    // The next item, an hour on in item time, is assigned after the hourly consolidation pass.
    await store(4, [item('after-split', 'Regional rail timetable changes announced for summer', 24 * 12 + 3)]);
    expect((await assignPendingStories(ctx.db, { now })).merged).toBeGreaterThanOrEqual(1);
    const [a, b] = storyIds as [number, number];
    const survivor = await resolveStoryId(ctx.db, a);
    expect(await resolveStoryId(ctx.db, b)).toBe(survivor);
    expect(survivor === a || survivor === b).toBe(true);
    const absorbed = survivor === a ? b : a;
    const rows = await ctx.db.query<{ merged_into: number | null }>('SELECT merged_into FROM stories WHERE id = $1', [
      absorbed,
    ]);
    expect(rows.rows[0]!.merged_into).toBe(survivor);
    expect(new Set([await storyOf(ctx.db, 'split1'), await storyOf(ctx.db, 'split2')])).toEqual(new Set([survivor]));
    const log = await ctx.db.query<{ from_story: number; into_story: number }>(
      'SELECT from_story, into_story FROM story_merges WHERE from_story = $1',
      [absorbed],
    );
    expect(log.rows).toEqual([{ from_story: absorbed, into_story: survivor }]);
    const kept = await ctx.db.query<{ item_count: number }>('SELECT item_count FROM stories WHERE id = $1', [survivor]);
    expect(kept.rows[0]!.item_count).toBe(2);
    expect(await resolveStoryId(ctx.db, 99_999_999)).toBeNull();
  });

  it('rebuilds every story with progress, and prunes old items and stories together', async () => {
    const before = await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM items');
    const progress: Array<[number, number]> = [];
    const rebuilt = await regroupAll(ctx.db, {
      now: new Date(),
      onProgress: (done, total) => progress.push([done, total]),
    });
    expect(rebuilt.items).toBe(before.rows[0]!.n);
    expect(progress.at(-1)).toEqual([before.rows[0]!.n, before.rows[0]!.n]);
    expect(new Set(await Promise.all(['ap1', 'rt1', 'gu1'].map((k) => storyOf(ctx.db, k)))).size).toBe(1);

    const pruned = await pruneOld(ctx.db, { olderThan: new Date(base + 5 * DAY) });
    expect(pruned.items).toBeGreaterThan(0);
    const left = await ctx.db.query<{ old_items: number; orphan_topics: number }>(
      `SELECT (SELECT count(*)::int FROM items WHERE published_at < $1 AND story_id IS NULL) AS old_items,
              (SELECT count(*)::int FROM topics t WHERE NOT EXISTS (SELECT 1 FROM story_topics st WHERE st.topic_id = t.id)) AS orphan_topics`,
      [new Date(base + 5 * DAY)],
    );
    expect(left.rows[0]).toEqual({ old_items: 0, orphan_topics: 0 });
    const storiesLeft = await ctx.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM stories WHERE last_seen_at < $1',
      [new Date(base + 5 * DAY)],
    );
    expect(storiesLeft.rows[0]!.n).toBe(0);
    // Storylines go with their last story; the ones left count only the stories left.
    const lines = await ctx.db.query<{ empty_old: number; miscounted: number; live: number }>(
      `SELECT (SELECT count(*)::int FROM storylines l WHERE l.last_seen_at < $1
                 AND NOT EXISTS (SELECT 1 FROM stories s WHERE s.storyline_id = l.id)) AS empty_old,
              (SELECT count(*)::int FROM storylines l WHERE l.merged_into IS NULL
                 AND l.story_count <> (SELECT count(*) FROM stories s WHERE s.storyline_id = l.id AND s.merged_into IS NULL)) AS miscounted,
              (SELECT count(*)::int FROM storylines WHERE story_count > 0) AS live`,
      [new Date(base + 5 * DAY)],
    );
    expect(lines.rows[0]).toMatchObject({ empty_old: 0, miscounted: 0 });
    expect(lines.rows[0]!.live).toBeGreaterThan(0);
  });
});
