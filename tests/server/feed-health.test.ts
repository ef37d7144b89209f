// The feed health page (/feeds) and what the front page says when it has no story: the truth about
// the feeds (none, not fetched yet, every one failing and why), never "the first fetch may still be
// running" when it ran and failed. Over HTTP against the real app and database.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { feedReportJson } from '../../src/server/api/json.js';
import { addFeed, listFeedReports, recordFetchError } from '../../src/store/feeds.js';
import { describeEachDb } from '../helpers/db.js';
import { request, startApp, type RunningApp } from './helpers.js';
import { readMarkup } from './html-check.js';
import { seedNewsWeek } from './seed.js';

const source = (url: string, outlet: string, section: string | null = null) => ({
  url,
  outlet,
  section,
  title: null,
  site: null,
  region: null,
});

describeEachDb('feed health', (ctx) => {
  let app: RunningApp;
  const ids: number[] = [];
  beforeAll(async () => {
    app = await startApp(ctx.db);
  });
  afterAll(() => app.close());

  // /api/feeds is written by the database (store/feed-report-document.ts): byte for byte what the
  // server wrote from the rows, credentials hidden, dates to the millisecond, status and next fetch.
  const expectApiFeedsAsWrittenFromRows = async () => {
    app.cache.invalidate('feeds');
    const res = await request(app.origin, '/api/feeds');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.text).toBe(JSON.stringify({ feeds: (await listFeedReports(ctx.db)).map(feedReportJson) }));
  };

  const home = async () => {
    const res = await request(app.origin, '/');
    expect(res.status).toBe(200);
    return res;
  };

  it('says there are no feeds yet when there are none, and lists none', async () => {
    const res = await home();
    expect(res.text).toContain('No feeds yet: add one with `storyline feeds add &lt;url&gt;`');
    expect((await request(app.origin, '/feeds')).text).toContain('<h1>Feeds</h1><p>No feeds yet');
  });

  it('says the first fetch is running only while feeds have not been fetched', async () => {
    for (const [url, outlet] of [
      ['https://a.example/rss', 'Alpha News'],
      ['https://user:pw@b.example/rss', 'Beta Daily'],
    ] as const)
      ids.push((await addFeed(ctx.db, source(url, outlet, 'World'))).feed.id);
    const res = await home();
    expect(res.text).toContain('No stories yet: 2 of 2 feeds not fetched yet; the first fetch is still running.');
    expect(res.text).toContain('<a href="/feeds">feed health</a>');
    // It depends on the feeds, which change without the news data: never cached.
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('says every feed is failing, with the latest reason, as soon as they fail', async () => {
    const at = (m: number) => new Date(Date.UTC(2025, 4, 9, 12, m));
    await recordFetchError(ctx.db, ids[0]!, {
      nextFetchAt: at(30),
      fetchedAt: at(1),
      status: 404,
      kind: 'http',
      message: 'fetch: HTTP 404 Not Found',
      gone: false,
    });
    await recordFetchError(ctx.db, ids[1]!, {
      nextFetchAt: at(30),
      fetchedAt: at(2),
      status: null,
      kind: 'timeout',
      message: 'fetch: no response within 10 s from <b.example>',
      gone: false,
    });
    // The front page's answer is not cached: no invalidation is needed for it to say so.
    const res = await home();
    expect(res.text).toContain(
      'No stories: every feed is failing (2 of 2). The latest error, from Beta Daily: “fetch: no response within 10 s from &lt;b.example&gt;”. See <a href="/feeds">feed health</a> for each feed.',
    );
    expect(res.text).not.toContain('may still be running');
    await expectApiFeedsAsWrittenFromRows();
  });

  it('writes /api/feeds from the database as the server wrote it from the rows: new, gone, credentials, sub-millisecond times', async () => {
    const at = new Date(Date.UTC(2025, 4, 9, 12, 3, 4, 285));
    const gone = (
      await addFeed(ctx.db, source('https://me:secret@c.example/feed?x=a@b', 'Gamma "Quoted" \\ News', null))
    ).feed.id;
    await recordFetchError(ctx.db, gone, {
      nextFetchAt: at,
      fetchedAt: at,
      status: 410,
      kind: 'http',
      message: 'fetch: HTTP 410 Gone\n(for good)',
      gone: true,
    });
    const fresh = (await addFeed(ctx.db, source('https://d.example/ünïcode', 'Ωmega', 'Sci/Tech'))).feed.id;
    await ctx.db.query("UPDATE feeds SET next_fetch_at = '2025-05-09 12:00:00.285999+00' WHERE id = $1", [fresh]);
    await expectApiFeedsAsWrittenFromRows();
    await ctx.db.query('DELETE FROM feeds WHERE id = ANY($1::int[])', [[gone, fresh]]);
  });

  it('lists every feed on /feeds with outlet, status, last success, error and item count', async () => {
    // /feeds is cached with the feeds' data; the worker drops that cache after each pass.
    app.cache.invalidate('feeds');
    const res = await request(app.origin, '/feeds');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    const page = res.text;
    expect(page).toContain('<p>2 feeds: 2 failing.</p>');
    expect(page).toContain(
      '<th scope="col">Outlet</th><th scope="col">Feed</th><th scope="col">Status</th><th scope="col">Last success</th><th scope="col">Error</th><th scope="col">Items</th>',
    );
    expect(page).toContain('<td>Alpha News<br><span class="meta">World</span></td>');
    expect(page).toContain(
      '<a href="https://a.example/rss" rel="nofollow noopener noreferrer">https://a.example/rss</a>',
    );
    expect(page).toContain(
      'failing since <time datetime="2025-05-09T12:01:00.000Z">9 May 2025, 12:01 UTC</time> (1 error in a row)',
    );
    expect(page).toContain('<td>fetch: HTTP 404 Not Found</td>');
    expect(page).toContain('<td>never</td>');
    expect(page).toContain('<td class="number">0</td>');
    // The feed URL's credentials stay out of the page, as out of /api/feeds.
    expect(page).not.toContain('user:pw');
    expect(page).toContain('https://***@b.example/rss');
    // Only what our templates write: a table, no script or form beyond the shell's search.
    const markup = readMarkup(page);
    expect(
      [...markup.elements].filter(
        (e) =>
          ![
            'html',
            'head',
            'meta',
            'title',
            'link',
            'style',
            'body',
            'a',
            'header',
            'form',
            'label',
            'input',
            'button',
            'nav',
            'ul',
            'li',
            'main',
            'h1',
            'p',
            'table',
            'thead',
            'tbody',
            'tr',
            'th',
            'td',
            'span',
            'br',
            'time',
            'footer',
          ].includes(e),
      ),
    ).toEqual([]);
    expect(markup.hrefs.filter((h) => !/^(\/|#|https:\/\/)/.test(h))).toEqual([]);
  });

  it('shows stories, not feed health, once there are some; a filtered empty page says nothing matched', async () => {
    await seedNewsWeek(ctx.db);
    app.cache.invalidate();
    const res = await home();
    expect(res.text).toContain('Cardinals elect first American pope');
    expect(res.text).not.toContain('every feed is failing');
    expect(res.headers['cache-control']).toBe('public, max-age=60');
    const none = await request(app.origin, '/?q=zzzzqqq');
    expect(none.text).toContain('No stories match.');
    await expectApiFeedsAsWrittenFromRows();
  });
});
