import { expect, it } from 'vitest';
import type { FeedSource } from '../../src/model.js';
import { storeDocument } from '../../src/store/documents.js';
import {
  addFeed,
  claimDueFeeds,
  listFeedReports,
  listSources,
  moveFeed,
  readSourcesVersion,
  recordFetchError,
  recordQuietFetches,
  releaseFeeds,
  removeFeed,
} from '../../src/store/feeds.js';
import { describeEachDb } from '../helpers/db.js';

const source = (n: number, outlet = 'The Guardian'): FeedSource => ({
  url: `https://example.com/feed-${n}.xml`,
  outlet,
  section: `s${n}`,
  title: null,
  site: 'https://example.com/',
  region: 'UK',
});

describeEachDb('feeds store', (ctx) => {
  it('adds a feed and its outlet once', async () => {
    const first = await addFeed(ctx.db, source(1));
    const again = await addFeed(ctx.db, source(1));
    expect(first.created).toBe(true);
    expect(again.created).toBe(false);
    expect(again.feed.id).toBe(first.feed.id);
    expect(first.feed.outlet).toBe('The Guardian');
    const outlets = await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM outlets');
    expect(outlets.rows[0]!.n).toBe(1);
  });

  it('never gives one feed to two workers, and gives it again once the lease has expired', async () => {
    for (let n = 10; n < 30; n++) await addFeed(ctx.db, source(n, 'Claim Test'));
    const now = new Date(Date.now() + 1000);
    const claim = (workerId: string, at = now, limit = 8) =>
      claimDueFeeds(ctx.db, { now: at, limit, leaseMs: 60_000, workerId });
    const [a, b, c] = await Promise.all([claim('a'), claim('b'), claim('c')]);
    const ids = [...a!, ...b!, ...c!].map((f) => f.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(await claim('d')).toHaveLength(21 - ids.length);
    expect(await claim('e')).toHaveLength(0);
    const later = new Date(now.getTime() + 61_000);
    expect((await claim('f', later, 100)).length).toBe(21);
    await releaseFeeds(ctx.db, 'f');
  });

  it('records success and errors on the feed row, and reports them', async () => {
    const { feed } = await addFeed(ctx.db, source(40, 'Report Test'));
    const t0 = new Date('2025-05-06T10:00:00Z');
    await recordFetchError(ctx.db, feed.id, {
      nextFetchAt: t0,
      fetchedAt: t0,
      status: 500,
      kind: 'http',
      message: 'fetch: HTTP 500',
      gone: false,
    });
    const t1 = new Date('2025-05-06T10:05:00Z');
    await recordFetchError(ctx.db, feed.id, {
      nextFetchAt: t1,
      fetchedAt: t1,
      status: 500,
      kind: 'http',
      message: 'fetch: HTTP 500',
      gone: false,
    });
    let report = (await listFeedReports(ctx.db)).find((r) => r.id === feed.id)!;
    expect(report).toMatchObject({
      status: 'failing',
      errorCount: 2,
      error: 'fetch: HTTP 500',
      errorKind: 'http',
      lastStatus: 500,
      items: 0,
    });
    expect(report.failingSince!.toISOString()).toBe(t0.toISOString());

    await storeDocument(ctx.db, feed.id, [], {
      etag: '"x"',
      lastModified: null,
      bodyHash: 'h',
      hints: null,
      nextFetchAt: t1,
      fetchedAt: t1,
      status: 200,
      title: 'A title',
      startedAt: t1,
      bytes: 10,
      worker: 'w',
    });
    report = (await listFeedReports(ctx.db)).find((r) => r.id === feed.id)!;
    expect(report).toMatchObject({ status: 'ok', errorCount: 0, error: null, failingSince: null, title: 'A title' });

    await recordFetchError(ctx.db, feed.id, {
      nextFetchAt: t1,
      fetchedAt: t1,
      status: 410,
      kind: 'http',
      message: 'gone',
      gone: true,
    });
    report = (await listFeedReports(ctx.db)).find((r) => r.id === feed.id)!;
    expect(report.status).toBe('gone');
    expect(report.nextFetchAt).toBeNull();
    const due = await claimDueFeeds(ctx.db, { now: new Date('2100-01-01'), limit: 1000, leaseMs: 1000, workerId: 'g' });
    expect(due.map((f) => f.id)).not.toContain(feed.id);
    await releaseFeeds(ctx.db, 'g');
  });

  it('moves a feed to a new address unless another feed has it', async () => {
    const { feed } = await addFeed(ctx.db, source(50, 'Move Test'));
    await addFeed(ctx.db, source(51, 'Move Test'));
    expect(await moveFeed(ctx.db, feed.id, source(51).url)).toBe(false);
    expect(await moveFeed(ctx.db, feed.id, 'https://example.com/moved.xml')).toBe(true);
    expect((await listSources(ctx.db)).map((s) => s.url)).toContain('https://example.com/moved.xml');
  });

  it('moves the sources version when an exported source changes, and not when a feed is fetched', async () => {
    const { feed } = await addFeed(ctx.db, source(70, 'Version Test'));
    const t = new Date('2025-05-06T11:00:00Z');
    // Each step: what it does, and whether listSources (the OPML export) changes with it.
    const steps: Array<[string, () => Promise<unknown>, boolean]> = [
      [
        'a fetch that fails',
        () =>
          recordFetchError(ctx.db, feed.id, {
            nextFetchAt: t,
            fetchedAt: t,
            status: 500,
            kind: 'http',
            message: 'fetch: HTTP 500',
            gone: false,
          }),
        false,
      ],
      [
        'a document that names the feed',
        () =>
          storeDocument(ctx.db, feed.id, [], {
            etag: null,
            lastModified: null,
            bodyHash: 'h',
            hints: null,
            nextFetchAt: t,
            fetchedAt: t,
            status: 200,
            title: 'Named',
            startedAt: t,
            bytes: 1,
            worker: 'w',
          }),
        true,
      ],
      [
        'the next document (the title is kept)',
        () =>
          storeDocument(ctx.db, feed.id, [], {
            etag: null,
            lastModified: null,
            bodyHash: 'i',
            hints: null,
            nextFetchAt: t,
            fetchedAt: t,
            status: 200,
            title: 'Other',
            startedAt: t,
            bytes: 1,
            worker: 'w',
          }),
        false,
      ],
      [
        'a 304',
        () =>
          recordQuietFetches(ctx.db, [
            {
              feedId: feed.id,
              etag: null,
              lastModified: null,
              nextFetchAt: t,
              fetchedAt: t,
              status: 304,
              outcome: 'not-modified',
              startedAt: t,
              worker: 'w',
            },
          ]),
        false,
      ],
      ['a move', () => moveFeed(ctx.db, feed.id, 'https://example.com/version-moved.xml'), true],
      [
        "the outlet's site",
        () => ctx.db.query("UPDATE outlets SET site = 'https://elsewhere.example/' WHERE name = 'Version Test'"),
        true,
      ],
      ['another feed', () => addFeed(ctx.db, source(71, 'Version Test')), true],
      ['a removal', () => removeFeed(ctx.db, feed.id), true],
    ];
    for (const [what, step, changes] of steps) {
      const [version, sources] = [await readSourcesVersion(ctx.db), JSON.stringify(await listSources(ctx.db))];
      await step();
      expect(JSON.stringify(await listSources(ctx.db)) !== sources, `${what}: the sources changed`).toBe(changes);
      expect((await readSourcesVersion(ctx.db)) !== version, `${what}: the version moved`).toBe(changes);
    }
  });

  it('removes a feed by id or by URL', async () => {
    const { feed } = await addFeed(ctx.db, source(60, 'Remove Test'));
    await addFeed(ctx.db, source(61, 'Remove Test'));
    expect(await removeFeed(ctx.db, feed.id)).toBe(true);
    expect(await removeFeed(ctx.db, source(61).url)).toBe(true);
    expect(await removeFeed(ctx.db, source(61).url)).toBe(false);
  });
});
