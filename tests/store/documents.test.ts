import { expect, it } from 'vitest';
import type { Item } from '../../src/model.js';
import { storeDocument, type DocumentFetch } from '../../src/store/documents.js';
import { addFeed } from '../../src/store/feeds.js';
import { describeEachDb } from '../helpers/db.js';
import { storeItems } from '../helpers/store.js';

const item = (key: string, over: Partial<Item> = {}): Item => ({
  key,
  url: `https://news.example/${key}`,
  canonicalUrl: `https://news.example/${key}`,
  title: `Title ${key}`,
  summary: 'Summary',
  contentHtml: '<p>Body</p>',
  author: null,
  outletName: null,
  publishedAt: new Date('2025-05-06T10:00:00Z'),
  dateEstimated: false,
  updatedAt: null,
  categories: ['World', 'Mexico'],
  imageUrl: null,
  contentHash: `hash-${key}`,
  ...over,
});

const feedSource = (n: number) => ({
  url: `https://f.example/${n}.xml`,
  outlet: `Outlet ${n}`,
  section: null,
  title: null,
  site: null,
  region: null,
});

describeEachDb('items store', (ctx) => {
  it('inserts new items, updates changed ones and writes nothing for unchanged ones', async () => {
    const { feed } = await addFeed(ctx.db, feedSource(1));
    const now = new Date('2025-05-06T12:00:00Z');
    const first = await storeItems(ctx.db, feed.id, [item('a'), item('b')], now);
    expect(first.inserted).toHaveLength(2);

    const later = new Date('2025-05-06T13:00:00Z');
    const second = await storeItems(
      ctx.db,
      feed.id,
      [item('a'), item('b', { title: 'Changed', contentHash: 'hash-b2' }), item('c')],
      later,
    );
    expect(second).toMatchObject({ unchanged: 1 });
    expect(second.inserted).toHaveLength(1);
    expect(second.updated).toHaveLength(1);

    const rows = await ctx.db.query<{ item_key: string; title: string; changed_at: Date; categories: string[] }>(
      'SELECT item_key, title, changed_at, categories FROM items WHERE feed_id = $1 ORDER BY item_key',
      [feed.id],
    );
    expect(rows.rows.map((r) => [r.item_key, r.title, r.changed_at.toISOString()])).toEqual([
      ['a', 'Title a', now.toISOString()],
      ['b', 'Changed', later.toISOString()],
      ['c', 'Title c', later.toISOString()],
    ]);
    expect(rows.rows[0]!.categories).toEqual(['World', 'Mexico']);
  });

  it('keeps the first of two entries with the same key in one document', async () => {
    const { feed } = await addFeed(ctx.db, feedSource(2));
    const res = await storeItems(
      ctx.db,
      feed.id,
      [item('dup', { title: 'First' }), item('dup', { title: 'Second' })],
      new Date(),
    );
    expect(res.inserted).toHaveLength(1);
    const row = await ctx.db.query<{ title: string }>('SELECT title FROM items WHERE feed_id = $1', [feed.id]);
    expect(row.rows[0]!.title).toBe('First');
  });

  it('never lets an estimated date replace a stored one', async () => {
    const { feed } = await addFeed(ctx.db, feedSource(3));
    await storeItems(
      ctx.db,
      feed.id,
      [item('e', { publishedAt: new Date('2025-01-01T00:00:00Z'), dateEstimated: true })],
      new Date(),
    );
    await storeItems(
      ctx.db,
      feed.id,
      [item('e', { publishedAt: new Date('2025-02-01T00:00:00Z'), dateEstimated: true, contentHash: 'new' })],
      new Date(),
    );
    const row = await ctx.db.query<{ published_at: Date; date_estimated: boolean }>(
      'SELECT published_at, date_estimated FROM items WHERE feed_id = $1',
      [feed.id],
    );
    expect(row.rows[0]).toEqual({ published_at: new Date('2025-01-01T00:00:00Z'), date_estimated: true });
  });

  it('recognises the same article reached through two feeds, and keeps each feed its own guid space', async () => {
    const a = (await addFeed(ctx.db, feedSource(4))).feed;
    const b = (await addFeed(ctx.db, feedSource(5))).feed;
    const [first] = (
      await storeItems(ctx.db, a.id, [item('shared', { canonicalUrl: 'https://news.example/story' })], new Date())
    ).inserted;
    const [second] = (
      await storeItems(
        ctx.db,
        b.id,
        [item('shared', { canonicalUrl: 'https://news.example/story', title: 'Copied guid' })],
        new Date(),
      )
    ).inserted;
    expect(second).not.toBe(first);
    const rows = await ctx.db.query<{ id: number; duplicate_of: number | null; title: string }>(
      'SELECT id, duplicate_of, title FROM items WHERE id = ANY($1::bigint[]) ORDER BY id',
      [[first, second]],
    );
    expect(rows.rows).toEqual([
      { id: first, duplicate_of: null, title: 'Title shared' },
      { id: second, duplicate_of: first, title: 'Copied guid' },
    ]);
  });

  it('stores text the database would otherwise reject', async () => {
    const { feed } = await addFeed(ctx.db, feedSource(6));
    const long = 'x'.repeat(100_000);
    const res = await storeItems(ctx.db, feed.id, [item(long, { title: long, summary: '🙂 é ü 中文' })], new Date());
    expect(res.inserted).toHaveLength(1);
  });
});

describeEachDb('storing a fetched document', (ctx) => {
  const fetched = (at: Date, over: Partial<DocumentFetch> = {}): DocumentFetch => ({
    etag: '"v2"',
    lastModified: 'Tue, 06 May 2025 10:00:00 GMT',
    bodyHash: 'body-1',
    hints: { ttlMinutes: 30, updatePeriod: null, updateFrequency: null, skipHours: [], skipDays: [] },
    nextFetchAt: new Date(at.getTime() + 600_000),
    fetchedAt: at,
    status: 200,
    title: 'Feed title',
    startedAt: new Date(at.getTime() - 250),
    bytes: 4096,
    worker: 'worker-1',
    ...over,
  });

  it('writes the items, the feed state and one log line in one statement, linking copies to the earliest', async () => {
    const { feed: a } = await addFeed(ctx.db, feedSource(21));
    const { feed: b } = await addFeed(ctx.db, feedSource(22));
    const at = new Date('2025-05-06T12:00:00Z');
    const first = await storeDocument(
      ctx.db,
      a.id,
      [item('x1', { canonicalUrl: 'https://news.example/shared' }), item('x2')],
      fetched(at),
    );
    expect(first.inserted).toHaveLength(2);
    const second = await storeDocument(
      ctx.db,
      b.id,
      [item('y1', { canonicalUrl: 'https://news.example/shared' }), item('y1')],
      fetched(at, { bodyHash: 'body-2' }),
    );
    expect(second.inserted).toHaveLength(1);
    const copy = await ctx.db.query<{ duplicate_of: number | null }>('SELECT duplicate_of FROM items WHERE id = $1', [
      second.inserted[0],
    ]);
    expect(copy.rows[0]!.duplicate_of).toBe(Math.min(...first.inserted));

    const state = await ctx.db.query<Record<string, unknown>>(
      'SELECT etag, body_hash, last_status, title, locked_by, error_count FROM feeds WHERE id = $1',
      [b.id],
    );
    expect(state.rows[0]).toEqual({
      etag: '"v2"',
      body_hash: 'body-2',
      last_status: 200,
      title: 'Feed title',
      locked_by: null,
      error_count: 0,
    });
    const log = await ctx.db.query<Record<string, unknown>>(
      'SELECT outcome, items_found, items_new, items_updated, duration_ms, bytes, worker FROM fetch_log WHERE feed_id = $1',
      [b.id],
    );
    expect(log.rows).toEqual([
      {
        outcome: 'ok',
        items_found: 2,
        items_new: 1,
        items_updated: 0,
        duration_ms: 250,
        bytes: 4096,
        worker: 'worker-1',
      },
    ]);

    // The same document again: nothing written to items, one more log line, nothing new.
    const again = await storeDocument(
      ctx.db,
      b.id,
      [item('y1', { canonicalUrl: 'https://news.example/shared' })],
      fetched(at, { bodyHash: null }),
    );
    expect(again).toEqual({ inserted: [], updated: [], unchanged: 1 });
    const kept = await ctx.db.query<{ body_hash: string }>('SELECT body_hash FROM feeds WHERE id = $1', [b.id]);
    expect(kept.rows[0]!.body_hash).toBe('body-2');
  });
});
