// What sql/006_flat_reads.sql keeps so reads stay flat: each feed's item count and newest item,
// and the news data version, moved by the writers' own statements and by nothing else.
import { expect, it } from 'vitest';
import type { Item } from '../../src/model.js';
import { addFeed, listFeedReports, recordQuietFetches, removeFeed } from '../../src/store/feeds.js';
import { pruneOld } from '../../src/worker/stories/prune.js';
import { listOutlets, readDataVersion } from '../../src/store/read/index.js';
import { describeEachDb } from '../helpers/db.js';
import { storeItems } from '../helpers/store.js';
import { seedStory } from '../server/seed.js';

const item = (key: string, publishedAt: string): Item => ({
  key,
  url: `https://news.example/${key}`,
  canonicalUrl: `https://news.example/${key}`,
  title: `Title ${key}`,
  summary: '',
  contentHtml: '',
  author: null,
  outletName: null,
  publishedAt: new Date(publishedAt),
  dateEstimated: false,
  updatedAt: null,
  categories: [],
  imageUrl: null,
  contentHash: `hash-${key}`,
});

const source = (n: number) => ({
  url: `https://counted.example/${n}.xml`,
  outlet: `Counted ${n}`,
  section: null,
  title: null,
  site: null,
  region: null,
});

describeEachDb('flat reads', (ctx) => {
  it('keeps each feed’s item count and newest item as items are stored, updated and deleted', async () => {
    const { feed } = await addFeed(ctx.db, source(1));
    const now = new Date('2025-05-09T12:00:00Z');
    await storeItems(ctx.db, feed.id, [item('a', '2025-05-06T10:00:00Z'), item('b', '2025-05-07T10:00:00Z')], now);
    await storeItems(
      ctx.db,
      feed.id,
      [item('b', '2025-05-07T10:00:00Z'), { ...item('c', '2025-05-08T10:00:00Z') }],
      now,
    );
    const report = async () => (await listFeedReports(ctx.db)).find((r) => r.id === feed.id)!;
    expect((await report()).items).toBe(3);
    const outlet = async () => (await listOutlets(ctx.db)).find((o) => o.name === 'Counted 1')!;
    expect(await outlet()).toMatchObject({ feeds: 1, items: 3, lastPublishedAt: new Date('2025-05-08T10:00:00Z') });
    await ctx.db.query("DELETE FROM items WHERE feed_id = $1 AND item_key = 'a'", [feed.id]);
    expect((await report()).items).toBe(2);
    await ctx.db.query('DELETE FROM items WHERE feed_id = $1', [feed.id]);
    expect(await outlet()).toMatchObject({ items: 0, lastPublishedAt: null });
  });

  it('moves the news version with story, topic and item deletion writes, and not with fetch bookkeeping', async () => {
    const version = () => readDataVersion(ctx.db, 'news');
    const story = await seedStory(ctx.db, {
      headline: 'Versioned story',
      items: [{ outlet: 'Versioned Outlet', title: 'Versioned item', publishedAt: '2025-01-02T10:00:00Z' }],
      topics: [{ slug: 'versioned', name: 'Versioned' }],
    });
    let before = await version();
    const { feed } = await addFeed(ctx.db, source(2));
    await recordQuietFetches(ctx.db, [
      {
        feedId: feed.id,
        outcome: 'not-modified',
        etag: null,
        lastModified: null,
        status: 304,
        nextFetchAt: new Date(),
        startedAt: new Date(),
        fetchedAt: new Date(),
        worker: 'test',
      },
    ]);
    expect(await version()).toBe(before);
    await ctx.db.query('UPDATE story_topics SET weight = 0.5 WHERE story_id = $1', [story.id]);
    expect(await version()).not.toBe(before);
    before = await version();
    await ctx.db.query("UPDATE stories SET headline = 'Renamed' WHERE id = $1", [story.id]);
    expect(await version()).not.toBe(before);
    before = await version();
    // Retention deletes items and stories, which no newest id or time would show.
    const pruned = await pruneOld(ctx.db, { olderThan: new Date('2025-02-01T00:00:00Z') });
    expect(pruned.items).toBeGreaterThan(0);
    expect(await version()).not.toBe(before);
    before = await version();
    await removeFeed(ctx.db, feed.id);
    expect(await version()).toBe(before);
  });
});
