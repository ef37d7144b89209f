// The JSON API over HTTP: every list and record, cursor pagination, search, errors, CORS, and every
// real response checked against the OpenAPI document the server publishes.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { readOpml } from '../../src/sources/opml.js';
import { listFeedReports, listSources } from '../../src/store/feeds.js';
import { describeEachDb } from '../helpers/db.js';
import { getJson, request, startApp, type RunningApp } from './helpers.js';
import { assertMatches, getDocumented, responseValidator } from './openapi-check.js';
import { linkStoryline, seedNewsWeek, seedStory, type SeededStory } from './seed.js';

describeEachDb('JSON API', (ctx) => {
  let app: RunningApp;
  let week: SeededStory[];
  let doc: Record<string, any>;

  const api = <T = any>(url: string, template: string, status = 200): Promise<T> =>
    getDocumented<T>(app.origin, doc, url, template, status);

  beforeAll(async () => {
    week = await seedNewsWeek(ctx.db);
    app = await startApp(ctx.db);
    doc = await getJson(app.origin, '/api/openapi.json');
  });
  afterAll(() => app.close());

  it('publishes an OpenAPI 3.1 document whose schemas reject a wrong response', () => {
    expect(doc.openapi).toBe('3.1.0');
    const story = responseValidator(doc, '/api/stories', 'get', '200');
    expect(story.safeParse({ stories: [], next: null }).success).toBe(true);
    expect(story.safeParse({ stories: [{ id: 'one' }], next: null }).success).toBe(false);
    expect(story.safeParse({ stories: [] }).success).toBe(false);
  });

  it('lists stories newest activity first with sort=latest, with outlets and topics', async () => {
    const body = await api('/api/stories?sort=latest', '/api/stories');
    expect(body.stories.map((s: any) => s.id)).toEqual(week.map((s) => s.id));
    const pope = body.stories[0];
    // The wire copy (ABC News) is coverage but not another outlet: the list and the count agree.
    expect(pope.outlets.map((o: any) => o.name)).toEqual(['BBC News', 'The Guardian', 'Associated Press', 'Reuters']);
    for (const s of body.stories) expect(s.outletCount).toBe(s.outlets.length);
    expect(pope.topics).toEqual([
      { slug: 'papal-conclave', name: 'Papal conclave', kind: 'theme' },
      { slug: 'vatican-city', name: 'Vatican City', kind: 'place' },
    ]);
    expect(pope.links).toEqual({
      self: `${app.origin}/api/stories/${pope.id}`,
      html: `${app.origin}/stories/${pope.id}`,
    });
    expect(body.next).toBeNull();
  });

  it('pages with a cursor in a stable order, even when times differ by a microsecond or tie', async () => {
    // Six stories in the same millisecond: two tie exactly, the rest a microsecond apart.
    const extra: number[] = [];
    for (const us of ['000001', '000002', '000002', '000003', '000004', '000005']) {
      const s = await seedStory(ctx.db, {
        headline: `Micro ${us}`,
        items: [{ outlet: 'Wire', title: `Micro ${us}`, publishedAt: '2025-05-10T00:00:00Z' }],
      });
      await ctx.db.query(
        `UPDATE stories SET last_seen_at = ('2025-05-10T00:00:00.' || $2 || 'Z')::timestamptz WHERE id = $1`,
        [s.id, us],
      );
      extra.push(s.id);
    }
    app.cache.invalidate();
    const all = (await api('/api/stories?sort=latest&limit=100', '/api/stories')).stories.map((s: any) => s.id);
    const walked: number[] = [];
    let url: string | null = '/api/stories?sort=latest&limit=2&min_sources=1';
    while (url) {
      const page: any = await api(url.replace(app.origin, ''), '/api/stories');
      walked.push(...page.stories.map((s: any) => s.id));
      url = page.next;
      if (url) expect(url).toContain('min_sources=1');
    }
    expect(walked).toEqual(all);
    expect(new Set(walked).size).toBe(walked.length);
    expect(all.slice(0, 6)).toEqual([
      extra[5],
      extra[4],
      extra[3],
      Math.max(extra[1]!, extra[2]!),
      Math.min(extra[1]!, extra[2]!),
      extra[0],
    ]);
  });

  it("ranks top stories by significance at the server's time: widely covered fresh news first, then pages by rank", async () => {
    // As of 20:00 on 8 May: the pope story (four outlets, two hours old) leads a one-outlet story that broke
    // five minutes ago, which leads in the latest order.
    const fresh = await seedStory(ctx.db, {
      headline: 'Council votes on bins',
      items: [{ outlet: 'Local Herald', title: 'Council votes on bins', publishedAt: '2025-05-08T19:55:00Z' }],
    });
    const live = await startApp(ctx.db, { now: () => new Date('2025-05-08T20:00:00Z') });
    try {
      // Stories seeded by other tests of this file are later than 20:00; the week before it is what counts here.
      const ids = async (q: string) =>
        (await getJson(live.origin, `/api/stories?until=2025-05-09T00:00:00Z&${q}`)).stories.map((s: any) => s.id);
      const top = await ids('sort=top&limit=100');
      expect(top.slice(0, 3)).toEqual([week[0]!.id, fresh.id, week[1]!.id]);
      expect(await ids('limit=100')).toEqual(top);
      expect((await ids('sort=latest&limit=100'))[0]).toBe(fresh.id);
      // Pages of a ranked list follow ranks; a cursor of the other order is refused, naming the parameter.
      const first = await getJson(live.origin, '/api/stories?until=2025-05-09T00:00:00Z&limit=2');
      const second = await getJson(live.origin, first.next.replace(live.origin, ''));
      expect([...first.stories, ...second.stories].map((s: any) => s.id)).toEqual(top.slice(0, 4));
      const latestPage = await getJson(live.origin, '/api/stories?sort=latest&limit=1');
      const cursor = new URL(latestPage.next).searchParams.get('cursor');
      const refused = await request(live.origin, `/api/stories?cursor=${cursor}`);
      expect(refused.status).toBe(400);
      expect(refused.json<any>().error.message).toMatch(/cursor .*top order/);
    } finally {
      await live.close();
    }
  });

  it('gives a story with its items, outlets, topics and why each item joined', async () => {
    const id = week[0]!.id;
    const story = await api(`/api/stories/${id}`, '/api/stories/{id}');
    expect(story.items).toHaveLength(5);
    expect(story.items.map((i: any) => i.reason)).toEqual(['new-story', 'similar', 'similar', 'copy', 'similar']);
    expect(story.items[1].sharedTerms).toEqual(['pope', 'prevost', 'conclave']);
    expect(story.items[3].copyOf).toBe(story.items[2].id);
    expect(story.items[4]).toMatchObject({ outlet: { name: 'Google News' }, source: 'Reuters' });
    expect(story.mergedInto).toBeNull();
  });

  it('answers 404 for an unknown story, 400 for a malformed id, and redirects a merged one', async () => {
    expect((await api('/api/stories/999999', '/api/stories/{id}', 404)).error).toEqual({
      code: 'not_found',
      message: 'story 999999 not found',
    });
    expect((await api('/api/stories/abc', '/api/stories/{id}', 400)).error.code).toBe('invalid_parameter');
    const merged = await seedStory(ctx.db, {
      headline: 'Old duplicate story',
      items: [{ outlet: 'Wire', title: 'dup', publishedAt: '2025-05-01T00:00:00Z' }],
    });
    await ctx.db.query('UPDATE stories SET merged_into = $1 WHERE id = $2', [week[0]!.id, merged.id]);
    app.cache.invalidate();
    const res = await request(app.origin, `/api/stories/${merged.id}`);
    expect(res.status).toBe(308);
    expect(res.headers.location).toBe(`${app.origin}/api/stories/${week[0]!.id}`);
  });

  it('lists items newest first with the same filters and cursor', async () => {
    const page1 = await api('/api/items?outlet=bbc%20news&limit=2', '/api/items');
    expect(page1.items.map((i: any) => i.title)).toEqual([
      'White smoke: Cardinals elect new pope',
      'What is in the US-UK trade deal?',
    ]);
    const page2 = await api(page1.next.replace(app.origin, ''), '/api/items');
    expect(page2.items.map((i: any) => i.title)).toEqual(['India and Pakistan: what we know']);
    expect(page2.next).toBeNull();
    const topic = await api('/api/items?topic=india&until=2025-05-07T03:00:00Z', '/api/items');
    expect(topic.items.map((i: any) => i.outlet.name)).toEqual(['Times of India', 'Al Jazeera']);
  });

  it('lists topics with live counts and gives one topic with its stories', async () => {
    const { topics } = await api('/api/topics', '/api/topics');
    expect(topics.map((t: any) => t.slug)).toEqual(
      expect.arrayContaining(['papal-conclave', 'india', 'pakistan', 'us-uk-trade-deal', 'vatican-city']),
    );
    expect(topics.find((t: any) => t.slug === 'india')).toMatchObject({ name: 'India', kind: 'place', stories: 1 });
    const india = await api('/api/topics/india', '/api/topics/{slug}');
    expect(india.topic.links.feed).toBe(`${app.origin}/topics/india/feed.xml`);
    expect(india.stories.map((s: any) => s.headline)).toEqual(['India strikes sites in Pakistan after Kashmir attack']);
    expect((await api('/api/topics/nope', '/api/topics/{slug}', 404)).error.code).toBe('not_found');
  });

  it('resolves any form a topic was seen under to the topic: its page, feed and API answer under old slugs', async () => {
    // As the story writer records it once "India" has also been seen as "Republic of India".
    await ctx.db.query(
      "INSERT INTO topic_aliases (slug, topic_id) SELECT 'republic-of-india', id FROM topics WHERE slug = 'india'",
    );
    app.cache.invalidate();
    const byAlias = await api('/api/topics/republic-of-india', '/api/topics/{slug}');
    expect(byAlias.topic).toMatchObject({ slug: 'india', name: 'India' });
    expect(byAlias.stories.map((s: any) => s.headline)).toEqual([
      'India strikes sites in Pakistan after Kashmir attack',
    ]);
    expect((await request(app.origin, '/topics/republic-of-india')).status).toBe(200);
    expect((await request(app.origin, '/topics/republic-of-india/feed.xml')).status).toBe(200);
  });

  it('lists outlets with feed and item counts', async () => {
    const { outlets } = await api('/api/outlets', '/api/outlets');
    expect(outlets.find((o: any) => o.name === 'BBC News')).toMatchObject({ feeds: 1, items: 3 });
    expect(outlets.map((o: any) => o.name)).toEqual([...outlets.map((o: any) => o.name)].sort());
  });

  it('reports feed health as the same objects `feeds list --json` prints', async () => {
    const { feeds } = await api('/api/feeds', '/api/feeds');
    expect(feeds).toEqual(JSON.parse(JSON.stringify(await listFeedReports(ctx.db))));
  });

  it('exports the sources as OPML that reads back to the stored sources', async () => {
    const res = await request(app.origin, '/api/feeds.opml');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/x-opml; charset=utf-8');
    expect(readOpml(res.text)).toEqual(await listSources(ctx.db));
  });

  it('searches items with ranking and web-search syntax', async () => {
    const pope = await api('/api/search?q=pope', '/api/search');
    expect(pope.results.length).toBeGreaterThan(1);
    const ranks = pope.results.map((r: any) => r.rank);
    expect(ranks).toEqual([...ranks].sort((a, b) => b - a));
    expect(pope.results[0].storyHeadline).toBe('Cardinals elect first American pope, Leo XIV');
    const phrase = await api('/api/search?q=%22trade%20deal%22%20-cars', '/api/search');
    expect(phrase.results.map((r: any) => r.title).sort()).toEqual([
      'US and UK strike trade deal',
      'What is in the US-UK trade deal?',
    ]);
    const either = await api('/api/search?q=sindoor%20or%20sheinbaum', '/api/search');
    expect(either.results).toHaveLength(2);
    const paged = await api('/api/search?q=pope&limit=1', '/api/search');
    const second = await api(paged.next.replace(app.origin, ''), '/api/search');
    expect(second.results[0].id).toBe(pope.results[1].id);
    expect((await api('/api/search', '/api/search', 400)).error).toMatchObject({
      code: 'invalid_parameter',
      parameter: 'q',
    });
  });

  it('documents every GET path it serves, and each answers', async () => {
    const storyline = await linkStoryline(ctx.db, week[0]!.id, 'Papal conclave');
    app.cache.invalidate();
    for (const [path, ops] of Object.entries(doc.paths as Record<string, any>)) {
      if (!ops.get) continue;
      const url =
        path
          .replace('{id}', String(path.includes('/storylines/') ? storyline : week[0]!.id))
          .replace('{slug}', 'india') + (path === '/api/search' ? '?q=pope' : '');
      const res = await request(app.origin, url);
      expect(res.status, url).toBe(200);
      if (ops.get.responses['200'].content['application/json']) assertMatches(doc, path, 'get', 200, res.json());
    }
  });

  it('opens GET to any origin and answers preflights', async () => {
    const res = await request(app.origin, '/api/stories', { headers: { origin: 'https://elsewhere.example' } });
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['access-control-expose-headers']).toContain('ETag');
    const pre = await request(app.origin, '/api/stories', {
      method: 'OPTIONS',
      headers: { origin: 'https://elsewhere.example', 'access-control-request-method': 'GET' },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers['access-control-allow-methods']).toBe('GET, HEAD, OPTIONS');
  });
});
