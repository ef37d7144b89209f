// Every feed parses cleanly with the reference parser (feedparser: no bozo flag) and a real feed
// reader (newsboat) subscribed to it shows exactly the entries the feed holds — hostile text included.
// Neither reads JSON Feed (newsboat 2.21, feedparser 6.0): feeds.test.ts checks /feed.json against the spec.
import { decodeHTML } from 'entities';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDb } from '../helpers/db.js';
import { request, startApp, type RunningApp } from './helpers.js';
import { skipWithReason } from '../helpers/skip.js';
import { ENTRY_ATTRIBUTES, ENTRY_ELEMENTS, readMarkup } from './html-check.js';
import { HOSTILE, seedHostileStory, seedNewsWeek, xmlSafe } from './seed.js';
import { feedparserMissing, newsboatMissing, parseWithFeedparser, readWithNewsboat, type Parsed } from './tools.js';

const XML_FEEDS = [
  { path: '/feed.xml', version: 'rss20' },
  { path: '/feed.atom', version: 'atom10' },
  { path: '/topics/india/feed.xml', version: 'rss20' },
  { path: '/topics/india/feed.atom', version: 'atom10' },
  { path: '/feed.xml?view=items', version: 'rss20' },
  { path: '/feed.atom?view=items&limit=5', version: 'atom10' },
  { path: '/topics/hostile-topic/feed.atom?view=items', version: 'atom10' },
  { path: '/feed.xml?min_sources=2&q=pope', version: 'rss20' },
];

let feedparserReason: string | null = null;
let newsboatReason: string | null = null;

/** An Atom title is HTML (type="html"): what a reader shows is its decoded text. */
const shownTitle = (parsed: Parsed, title: string | null): string =>
  parsed.version.startsWith('atom') ? decodeHTML(title ?? '') : (title ?? '');

describeEachDb('feeds against feedparser and newsboat', (ctx) => {
  let app: RunningApp;
  let expectedStories: Array<{ id: number; headline: string }>;

  beforeAll(async () => {
    feedparserReason = await feedparserMissing();
    newsboatReason = await newsboatMissing();
    await seedNewsWeek(ctx.db);
    await seedHostileStory(ctx.db);
    app = await startApp(ctx.db);
    expectedStories = (await request(app.origin, '/api/stories?limit=100')).json<{
      stories: Array<{ id: number; headline: string }>;
    }>().stories;
  });
  afterAll(() => app.close());

  for (const feed of XML_FEEDS) {
    it(`parses ${feed.path} cleanly with feedparser`, async (t) => {
      skipWithReason(t, feedparserReason);
      const res = await request(app.origin, feed.path);
      expect(res.status).toBe(200);
      const parsed = await parseWithFeedparser(res.text, String(res.headers['content-type']));
      expect(parsed.bozo_exception).toBeNull();
      expect(parsed.bozo).toBe(false);
      expect(parsed.version).toBe(feed.version);
      expect(parsed.entries.length).toBeGreaterThan(0);
      const self = parsed.feed.links.find((l) => l.rel === 'self');
      expect(self?.href).toBe(`${app.origin}${feed.path}`);
      expect(parsed.feed.links.some((l) => l.rel === 'alternate' && l.href.startsWith(app.origin))).toBe(true);
      for (const e of parsed.entries) expect(e.id).toMatch(/^tag:127\.0\.0\.1,2025:storyline\/(story|item)\/\d+$/);
    });
  }

  it('gives feedparser one entry per story, titled with the headline, in the API’s order', async (t) => {
    skipWithReason(t, feedparserReason);
    for (const path of ['/feed.xml', '/feed.atom']) {
      const res = await request(app.origin, path);
      const parsed = await parseWithFeedparser(res.text, String(res.headers['content-type']));
      expect(parsed.entries.map((e) => e.id)).toEqual(
        expectedStories.map((s) => `tag:127.0.0.1,2025:storyline/story/${s.id}`),
      );
      expect(parsed.entries.map((e) => shownTitle(parsed, e.title))).toEqual(
        expectedStories.map((s) => xmlSafe(s.headline)),
      );
    }
  });

  it('keeps hostile titles as text: "</item><item>" adds no entry, every "]]>" survives', async (t) => {
    skipWithReason(t, feedparserReason);
    for (const path of ['/feed.xml', '/feed.atom']) {
      const res = await request(app.origin, path);
      const parsed = await parseWithFeedparser(res.text, String(res.headers['content-type']));
      expect(parsed.entries).toHaveLength(expectedStories.length);
      const hostile = parsed.entries.find((e) => shownTitle(parsed, e.title).startsWith('Breaking'))!;
      expect(shownTitle(parsed, hostile.title)).toBe(xmlSafe(HOSTILE.headline));
      // The content is HTML: feed text in it is escaped, so it creates no element or attribute of its own.
      const markup = readMarkup(hostile.content ?? '');
      expect([...markup.elements].filter((e) => !ENTRY_ELEMENTS.has(e))).toEqual([]);
      expect([...markup.attributes].filter((a) => !ENTRY_ATTRIBUTES.has(a))).toEqual([]);
      expect(markup.hrefs.every((h) => h.startsWith('http://') || h.startsWith('https://'))).toBe(true);
      expect(markup.text).toContain('<script>alert(5)</script>]]></content:encoded>');
      expect(hostile.tags.map((tag) => decodeHTML(tag))).toContain(
        path.endsWith('.atom') ? HOSTILE.topic.name.replace(/</g, '') : HOSTILE.topic.name,
      );
    }
  });

  for (const path of [
    '/feed.xml',
    '/feed.atom',
    '/topics/india/feed.atom',
    '/feed.xml?view=items',
    '/feed.atom?view=items',
    '/topics/hostile-topic/feed.xml?view=items',
  ]) {
    it(`shows in newsboat exactly the entries of ${path}`, async (t) => {
      skipWithReason(t, feedparserReason ?? newsboatReason);
      const res = await request(app.origin, path);
      const parsed = await parseWithFeedparser(res.text, String(res.headers['content-type']));
      const shown = await readWithNewsboat(`${app.origin}${path}`);
      const key = (guid: string, title: string, url: string) => `${guid} | ${title} | ${url}`;
      expect(shown.map((e) => key(e.guid, e.title, e.url)).sort()).toEqual(
        parsed.entries.map((e) => key(e.id!, shownTitle(parsed, e.title), e.link!)).sort(),
      );
    });
  }
});
