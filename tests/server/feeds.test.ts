// The combined and per-topic feeds: what each entry says, the filters, stable ids, the links, and
// JSON Feed 1.1 checked against the spec's rules (neither feedparser 6.0 nor newsboat 2.21 reads it).
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { z } from 'zod';
import { describeEachDb } from '../helpers/db.js';
import { getJson, getText, request, startApp, type RunningApp } from './helpers.js';
import { growStory, seedNewsWeek, type SeededStory } from './seed.js';

// https://www.jsonfeed.org/version/1.1/ — required fields, types, and RFC 3339 dates.
const rfc3339 = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/);
const JsonFeed11 = z.object({
  version: z.literal('https://jsonfeed.org/version/1.1'),
  title: z.string().min(1),
  home_page_url: z.url().optional(),
  feed_url: z.url().optional(),
  description: z.string().optional(),
  language: z.string().optional(),
  authors: z.array(z.object({ name: z.string().optional(), url: z.url().optional() })).optional(),
  items: z.array(
    z
      .object({
        id: z.string().min(1),
        url: z.url().optional(),
        title: z.string().optional(),
        content_html: z.string().optional(),
        content_text: z.string().optional(),
        summary: z.string().optional(),
        date_published: rfc3339.optional(),
        date_modified: rfc3339.optional(),
        tags: z.array(z.string()).optional(),
        authors: z.array(z.object({ name: z.string() })).optional(),
      })
      .refine(
        (i) => i.content_html !== undefined || i.content_text !== undefined,
        'an item needs content_html or content_text',
      ),
  ),
});
type JsonFeed = z.infer<typeof JsonFeed11>;

const xml = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  isArray: (name) => ['item', 'entry', 'category', 'link'].includes(name),
});

describeEachDb('feeds', (ctx) => {
  let app: RunningApp;
  let stories: SeededStory[];
  const feed = async (path: string): Promise<JsonFeed> => JsonFeed11.parse(await getJson(app.origin, path));

  beforeAll(async () => {
    stories = await seedNewsWeek(ctx.db);
    app = await startApp(ctx.db);
  });
  afterAll(() => app.close());

  it('gives one entry per story, top stories first (or newest activity first), in all three formats', async () => {
    const tag = (n: number) => `tag:127.0.0.1,2025:storyline/story/${stories[n]!.id}`;
    // Far from the week (the server's clock is today), significance is how widely each story was covered.
    for (const [query, ids] of [
      ['', [0, 2, 1, 3].map(tag)],
      ['?sort=latest', [0, 1, 2, 3].map(tag)],
    ] as const) {
      expect((await feed(`/feed.json${query}`)).items.map((i) => i.id)).toEqual(ids);
      const rss = xml.parse(await getText(app.origin, `/feed.xml${query}`));
      expect(rss.rss.channel.item.map((i: any) => i.guid['#text'])).toEqual(ids);
      const atom = xml.parse(await getText(app.origin, `/feed.atom${query}`));
      expect(atom.feed.entry.map((e: any) => e.id)).toEqual(ids);
    }
    // Entry dates are the news' own: the story's first article and its newest.
    const pope = (await feed('/feed.json')).items[0]!;
    expect([pope.date_published, pope.date_modified]).toEqual(['2025-05-08T16:10:00.000Z', '2025-05-08T18:00:00.000Z']);
  });

  it('makes the entry the story: headline, representative link, coverage with copies marked, topics', async () => {
    const pope = (await feed('/feed.json')).items[0]!;
    expect(pope.title).toBe('Cardinals elect first American pope, Leo XIV');
    expect(pope.url).toMatch(/^https:\/\/bbc-news\.example\/news\/\d+$/);
    expect(pope.tags).toEqual(['Papal conclave', 'Vatican City']);
    const html = pope.content_html!;
    for (const outlet of ['BBC News', 'The Guardian', 'Associated Press', 'ABC News', 'Reuters'])
      expect(html).toContain(`<strong>${outlet}</strong>`);
    expect(html).toContain('Reuters</strong> via Google News');
    expect(html).toMatch(/ABC News<\/strong>, <time[^>]*>[^<]*<\/time> <em>\(wire copy\)<\/em>/);
    expect(html).toContain('5 articles from 4 outlets');
    expect(html).toContain('/topics/papal-conclave">Papal conclave</a>');
    const rss = xml.parse(await getText(app.origin, '/feed.xml')).rss.channel.item[0];
    expect(rss.category.map((c: any) => c['#text'])).toEqual(['Papal conclave', 'Vatican City']);
    const atom = xml.parse(await getText(app.origin, '/feed.atom')).feed.entry[0];
    expect(atom.category.map((c: any) => c['@_term'])).toEqual(['papal-conclave', 'vatican-city']);
  });

  it('keeps the entry id when coverage grows and moves its updated time, and only its own', async () => {
    const before = await feed('/feed.json');
    const trade = before.items.find((i) => i.id.endsWith(`/story/${stories[1]!.id}`))!;
    await growStory(
      ctx.db,
      stories[1]!.id,
      { outlet: 'Politico', title: 'Trade deal: what changes for cars', publishedAt: '2025-05-08T19:00:00Z' },
      '2025-05-08T19:00:05Z',
    );
    app.cache.invalidate();
    const after = await feed('/feed.json?sort=latest');
    const grown = after.items.find((i) => i.id === trade.id)!;
    // The entry's dates are the news' own: its newest article's time, not when the row was written.
    expect(grown.date_modified).toBe('2025-05-08T19:00:00.000Z');
    expect(Date.parse(grown.date_modified!)).toBeGreaterThan(Date.parse(trade.date_modified!));
    expect(grown.content_html).toContain('Politico');
    // It is now the newest activity, so it leads; the others are untouched.
    expect(after.items[0]!.id).toBe(trade.id);
    for (const other of before.items.filter((i) => i.id !== trade.id))
      expect(after.items.find((i) => i.id === other.id)!.date_modified).toBe(other.date_modified);
  });

  it('gives every item with ?view=items, naming its outlet', async () => {
    const items = (await feed('/feed.json?view=items')).items;
    const count = (await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM items')).rows[0]!.n;
    expect(items).toHaveLength(count);
    expect(items.every((i) => /^tag:127\.0\.0\.1,2025:storyline\/item\/\d+$/.test(i.id))).toBe(true);
    const reuters = items.find((i) => i.title === 'Pope Leo XIV greets crowds in St Peter’s Square')!;
    expect(reuters.authors).toEqual([{ name: 'Reuters via Google News' }]);
    expect(reuters.tags).toEqual(['Papal conclave', 'Vatican City']);
    const times = items.map((i) => Date.parse(i.date_published!));
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it('filters by topic, outlet, full text, sources, time and limit', async () => {
    const titles = async (q: string) => (await feed(`/feed.json?${q}`)).items.map((i) => i.title);
    expect(await titles('topic=india')).toEqual(['India strikes sites in Pakistan after Kashmir attack']);
    expect(await titles('outlet=financial%20times')).toEqual(['US and UK agree trade deal cutting car tariffs']);
    expect(await titles('outlet=Reuters')).toEqual(['Cardinals elect first American pope, Leo XIV']);
    expect(await titles('q=pope')).toEqual(['Cardinals elect first American pope, Leo XIV']);
    expect(await titles('q=%22nine%20sites%22')).toEqual(['India strikes sites in Pakistan after Kashmir attack']);
    expect(await titles('sort=latest&min_sources=3')).toEqual([
      'US and UK agree trade deal cutting car tariffs',
      'Cardinals elect first American pope, Leo XIV',
      'India strikes sites in Pakistan after Kashmir attack',
    ]);
    expect(await titles('since=2025-05-08T16:00:00Z&min_sources=4')).toEqual([
      'Cardinals elect first American pope, Leo XIV',
    ]);
    expect(await titles('limit=1')).toHaveLength(1);
    expect(await titles('view=items&outlet=BBC%20News&limit=2')).toEqual([
      'White smoke: Cardinals elect new pope',
      'What is in the US-UK trade deal?',
    ]);
    expect((await request(app.origin, '/feed.json?limit=201')).status).toBe(400);
    expect((await request(app.origin, '/feed.json?limit=0')).status).toBe(400);
  });

  it('serves per-topic feeds in all formats, and 404 for an unknown topic', async () => {
    const json = await feed('/topics/papal-conclave/feed.json');
    expect(json.items.map((i) => i.title)).toEqual(['Cardinals elect first American pope, Leo XIV']);
    expect(json.title).toBe('Storyline: Papal conclave, top stories');
    expect(json.home_page_url).toBe(`${app.origin}/topics/papal-conclave`);
    for (const ext of ['xml', 'atom'])
      expect((await request(app.origin, `/topics/papal-conclave/feed.${ext}`)).status).toBe(200);
    const missing = await request(app.origin, '/topics/no-such-topic/feed.xml');
    expect(missing.status).toBe(404);
    expect(missing.json()).toEqual({ error: { code: 'not_found', message: 'topic no-such-topic not found' } });
    const twice = await request(app.origin, '/topics/india/feed.xml?topic=pakistan');
    expect(twice.status).toBe(400);
    expect(twice.json<any>().error.message).toBe('unknown parameter: topic');
  });

  it('carries its self link and the HTML page as alternate', async () => {
    const json = await feed('/feed.json?view=items&limit=3');
    expect(json.feed_url).toBe(`${app.origin}/feed.json?view=items&limit=3`);
    expect(json.home_page_url).toBe(`${app.origin}/`);
    const rss = xml.parse(await getText(app.origin, '/topics/india/feed.xml')).rss.channel;
    expect(rss['atom:link']['@_href']).toBe(`${app.origin}/topics/india/feed.xml`);
    expect(rss.link).toEqual([`${app.origin}/topics/india`]);
    const links = xml.parse(await getText(app.origin, '/feed.atom')).feed.link;
    expect(links).toEqual(
      expect.arrayContaining([
        { '@_rel': 'self', '@_href': `${app.origin}/feed.atom` },
        { '@_rel': 'alternate', '@_href': `${app.origin}/` },
      ]),
    );
  });

  it('mints the same ids and links whatever Host the client sends, and a random Host adds no cache entry', async () => {
    const port = new URL(app.origin).port;
    const viaName = JsonFeed11.parse(
      (await request(app.origin, '/feed.json', { headers: { host: `localhost:${port}` } })).json(),
    );
    const viaIp = await feed('/feed.json');
    expect(viaName.items.map((i) => i.id)).toEqual(viaIp.items.map((i) => i.id));
    // Links follow BASE_URL, else HOST and the listening port: never a header the client chooses.
    expect(viaName.feed_url).toBe(`${app.origin}/feed.json`);
    const entries = app.cache.stats.entries;
    const bogus = await request(app.origin, '/feed.json', { headers: { host: 'evil.example' } });
    expect(JsonFeed11.parse(bogus.json()).feed_url).toBe(`${app.origin}/feed.json`);
    expect(bogus.headers['x-cache']).toBe('hit');
    expect(app.cache.stats.entries).toBe(entries);
  });

  it('names each format’s media type', async () => {
    expect((await request(app.origin, '/feed.xml')).headers['content-type']).toBe('application/rss+xml; charset=utf-8');
    expect((await request(app.origin, '/feed.atom')).headers['content-type']).toBe(
      'application/atom+xml; charset=utf-8',
    );
    expect((await request(app.origin, '/feed.json')).headers['content-type']).toBe(
      'application/feed+json; charset=utf-8',
    );
  });
});
