// A storyline's feeds (a subscriber follows one situation): its stories as entries, the latest to break
// first, rendered as the combined feed's are; parsed cleanly by feedparser (no bozo flag) and shown by
// newsboat exactly as they hold, hostile text included; JSON Feed checked against the spec's fields.
import { decodeHTML } from 'entities';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDb } from '../helpers/db.js';
import { skipWithReason } from '../helpers/skip.js';
import { getJson, request, startApp, type RunningApp } from './helpers.js';
import {
  HOSTILE,
  mergeStoryline,
  seedStory,
  seedStorylineWeek,
  STORYLINES,
  xmlSafe,
  type SeededStory,
} from './seed.js';
import { feedparserMissing, newsboatMissing, parseWithFeedparser, readWithNewsboat, type Parsed } from './tools.js';

let feedparserReason: string | null = null;
let newsboatReason: string | null = null;

const shownTitle = (parsed: Parsed, title: string | null): string =>
  parsed.version.startsWith('atom') ? decodeHTML(title ?? '') : (title ?? '');

describeEachDb('storyline feeds', (ctx) => {
  let app: RunningApp;
  let conclave: SeededStory[];
  let conclaveId: number;
  let hostileId: number;
  const tag = (s: SeededStory) => `tag:127.0.0.1,2025:storyline/story/${s.id}`;

  beforeAll(async () => {
    feedparserReason = await feedparserMissing();
    newsboatReason = await newsboatMissing();
    ({ conclave } = await seedStorylineWeek(ctx.db));
    conclaveId = conclave[0]!.storylineId!;
    const hostile = await seedStory(ctx.db, {
      headline: HOSTILE.headline,
      storyline: 'Hostile storyline',
      topics: [HOSTILE.topic],
      items: [
        {
          outlet: HOSTILE.outlet,
          title: HOSTILE.itemTitle,
          url: HOSTILE.itemUrl,
          summary: HOSTILE.itemSummary,
          publishedAt: '2025-05-11T09:00:00Z',
        },
      ],
    });
    await seedStory(ctx.db, {
      headline: 'A calm second story',
      storyline: 'Hostile storyline',
      items: [{ outlet: 'Wire', title: 'calm', publishedAt: '2025-05-12T09:00:00Z' }],
    });
    hostileId = hostile.storylineId!;
    app = await startApp(ctx.db);
  });
  afterAll(() => app.close());

  for (const [ext, version] of [
    ['xml', 'rss20'],
    ['atom', 'atom10'],
  ] as const) {
    it(`gives feedparser the storyline’s stories, the latest first, cleanly (.${ext})`, async (t) => {
      skipWithReason(t, feedparserReason);
      const path = `/storylines/${conclaveId}/feed.${ext}`;
      const res = await request(app.origin, path);
      expect(res.status).toBe(200);
      const parsed = await parseWithFeedparser(res.text, String(res.headers['content-type']));
      expect(parsed.bozo_exception).toBeNull();
      expect(parsed.version).toBe(version);
      expect(parsed.feed.title).toBe(`Storyline: ${STORYLINES.conclave}`);
      expect(parsed.feed.links.find((l) => l.rel === 'self')?.href).toBe(`${app.origin}${path}`);
      expect(
        parsed.feed.links.some((l) => l.rel === 'alternate' && l.href === `${app.origin}/storylines/${conclaveId}`),
      ).toBe(true);
      expect(parsed.entries.map((e) => e.id)).toEqual([...conclave].reverse().map(tag));
      expect(shownTitle(parsed, parsed.entries[1]!.title)).toBe('Cardinals elect first American pope, Leo XIV');
      // The same entry as in the combined feed: its coverage, its topics as categories.
      expect(parsed.entries[1]!.content).toContain('5 articles from 4 outlets');
      expect(parsed.entries[1]!.tags).toEqual(['Papal conclave', 'Vatican City']);
      const limited = await request(app.origin, `${path}?limit=2`);
      expect(
        (await parseWithFeedparser(limited.text, String(limited.headers['content-type']))).entries.map((e) => e.id),
      ).toEqual([...conclave].reverse().slice(0, 2).map(tag));
    });

    it(`keeps hostile text as text in a storyline’s feed (.${ext})`, async (t) => {
      skipWithReason(t, feedparserReason);
      const res = await request(app.origin, `/storylines/${hostileId}/feed.${ext}`);
      const parsed = await parseWithFeedparser(res.text, String(res.headers['content-type']));
      expect(parsed.bozo).toBe(false);
      expect(parsed.entries).toHaveLength(2);
      expect(shownTitle(parsed, parsed.entries[1]!.title)).toBe(xmlSafe(HOSTILE.headline));
      expect(parsed.entries[1]!.content).not.toMatch(/<script|javascript:/);
    });

    it(`shows in newsboat exactly the entries of the storyline’s feed (.${ext})`, async (t) => {
      skipWithReason(t, feedparserReason ?? newsboatReason);
      for (const id of [conclaveId, hostileId]) {
        const path = `/storylines/${id}/feed.${ext}`;
        const res = await request(app.origin, path);
        const parsed = await parseWithFeedparser(res.text, String(res.headers['content-type']));
        const shown = await readWithNewsboat(`${app.origin}${path}`);
        const key = (guid: string, title: string, url: string) => `${guid} | ${title} | ${url}`;
        expect(shown.map((e) => key(e.guid, e.title, e.url)).sort()).toEqual(
          parsed.entries.map((e) => key(e.id!, shownTitle(parsed, e.title), e.link!)).sort(),
        );
      }
    });
  }

  it('writes JSON Feed 1.1 with the same entries', async () => {
    const feed = await getJson(app.origin, `/storylines/${conclaveId}/feed.json`);
    expect(feed).toMatchObject({
      version: 'https://jsonfeed.org/version/1.1',
      title: `Storyline: ${STORYLINES.conclave}`,
      home_page_url: `${app.origin}/storylines/${conclaveId}`,
      feed_url: `${app.origin}/storylines/${conclaveId}/feed.json`,
    });
    expect(feed.items.map((i: any) => i.id)).toEqual([...conclave].reverse().map(tag));
    for (const item of feed.items)
      expect(item).toMatchObject({
        content_html: expect.any(String),
        date_published: expect.stringMatching(/Z$/),
        date_modified: expect.stringMatching(/Z$/),
      });
  });

  it('redirects a merged storyline’s feed to the survivor’s, refuses bad input and answers an unknown storyline with 404', async () => {
    const old = await seedStory(ctx.db, {
      headline: 'Conclave date set',
      storyline: 'Conclave date',
      items: [{ outlet: 'Wire', title: 'date', publishedAt: '2025-04-28T00:00:00Z' }],
    });
    await mergeStoryline(ctx.db, old.storylineId!, conclaveId);
    app.cache.invalidate();
    const moved = await request(app.origin, `/storylines/${old.storylineId}/feed.atom?limit=3`);
    expect(moved.status).toBe(308);
    expect(moved.headers.location).toBe(`${app.origin}/storylines/${conclaveId}/feed.atom?limit=3`);
    const feed = await getJson(app.origin, `/storylines/${conclaveId}/feed.json`);
    expect(feed.items.map((i: any) => i.id).at(-1)).toBe(tag(old));
    expect((await request(app.origin, `/storylines/${conclaveId}/feed.xml?limit=500`)).status).toBe(400);
    expect((await request(app.origin, `/storylines/${conclaveId}/feed.xml?view=items`)).json<any>().error.message).toBe(
      'unknown parameter: view',
    );
    expect((await request(app.origin, '/storylines/x/feed.xml')).status).toBe(400);
    expect((await request(app.origin, '/storylines/999999/feed.xml')).status).toBe(404);
  });
});
