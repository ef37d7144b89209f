// Storylines in the JSON API over HTTP: the list and one storyline, the storyline on a story, merged
// ids resolving to the survivor, refused parameters, and every response checked against the OpenAPI
// document the server publishes.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDb } from '../helpers/db.js';
import { getJson, request, startApp, type RunningApp } from './helpers.js';
import { getDocumented } from './openapi-check.js';
import { mergeStoryline, seedStory, seedStorylineWeek, STORYLINES, TOPICS } from './seed.js';

type Week = Awaited<ReturnType<typeof seedStorylineWeek>>;

describeEachDb('storylines API', (ctx) => {
  let app: RunningApp;
  let week: Week;
  let doc: Record<string, any>;
  let conclave: number;
  let india: number;

  const api = <T = any>(url: string, template: string, status = 200): Promise<T> =>
    getDocumented<T>(app.origin, doc, url, template, status);

  beforeAll(async () => {
    week = await seedStorylineWeek(ctx.db);
    conclave = week.conclave[0]!.storylineId!;
    india = week.india[0]!.storylineId!;
    app = await startApp(ctx.db);
    doc = await getJson(app.origin, '/api/openapi.json');
  });
  afterAll(() => app.close());

  it('lists the storylines of several stories, newest activity first, with counts, topics and links', async () => {
    const body = await api('/api/storylines', '/api/storylines');
    // The trade deal is a storyline of one story, the Mexico story is not linked: neither is listed.
    expect(body.storylines.map((l: any) => l.title)).toEqual([STORYLINES.india, STORYLINES.conclave]);
    const pope = body.storylines[1];
    expect(pope).toMatchObject({
      id: conclave,
      storyCount: 4,
      itemCount: 12,
      // BBC, Guardian, AP, Reuters (through Google News), Al Jazeera; ABC's wire copy does not count.
      outletCount: 5,
      firstSeenAt: '2025-05-06T09:00:00.000Z',
      lastSeenAt: '2025-05-09T10:40:00.000Z',
    });
    // Its stories' topics, on the most stories first: the conclave is on three, Vatican City on three with less weight.
    expect(pope.topics.map((t: any) => t.slug)).toEqual(['papal-conclave', 'vatican-city']);
    expect(pope.links).toEqual({
      self: `${app.origin}/api/storylines/${conclave}`,
      html: `${app.origin}/storylines/${conclave}`,
      feed: `${app.origin}/storylines/${conclave}/feed.xml`,
    });
    expect(body.next).toBeNull();
  });

  it('pages with a cursor and filters by topic and time', async () => {
    const first = await api('/api/storylines?limit=1', '/api/storylines');
    expect(first.storylines.map((l: any) => l.id)).toEqual([india]);
    expect(first.next).toContain('limit=1');
    const second = await api(first.next.replace(app.origin, ''), '/api/storylines');
    expect(second.storylines.map((l: any) => l.id)).toEqual([conclave]);
    expect(second.next).toBeNull();
    const ids = async (query: string) =>
      (await api(`/api/storylines?${query}`, '/api/storylines')).storylines.map((l: any) => l.id);
    expect(await ids('topic=pakistan')).toEqual([india]);
    expect(await ids('topic=vatican-city')).toEqual([conclave]);
    // A topic of the one-story storyline only names no storyline worth listing; an unknown one none at all.
    expect(await ids('topic=us-uk-trade-deal')).toEqual([]);
    expect(await ids('topic=no-such-topic')).toEqual([]);
    expect(await ids('since=2025-05-10')).toEqual([india]);
    expect(await ids('until=2025-05-10')).toEqual([conclave]);
  });

  it.each([
    ['limit=0', 'limit', 'parameter limit must be a whole number from 1 to 100'],
    ['limit=101', 'limit', 'parameter limit must be a whole number from 1 to 100'],
    ['sort=top', 'sort', 'unknown parameter: sort'],
    ['cursor=nonsense!', 'cursor', 'parameter cursor is not a cursor this API gave out'],
    [
      `cursor=${Buffer.from('r3').toString('base64url')}`,
      'cursor',
      'parameter cursor is not a place in the storyline list',
    ],
    ['since=yesterday', 'since', 'parameter since must be an ISO 8601 date or date-time'],
    ['topic=%3Cscript%3E', 'topic', 'parameter topic must be a topic slug'],
  ])('refuses %s with a 400 naming the parameter', async (query, parameter, message) => {
    const body = await api(`/api/storylines?${query}`, '/api/storylines', 400);
    expect(body.error).toMatchObject({ code: 'invalid_parameter', parameter });
    expect(body.error.message).toContain(message);
  });

  it('gives a storyline with its stories in the order they broke, topics, and articles on every day', async () => {
    const body = await api(`/api/storylines/${india}`, '/api/storylines/{id}');
    expect(body.stories.map((s: any) => s.id)).toEqual(week.india.map((s) => s.id));
    expect(body.stories[0]).toMatchObject({
      headline: 'India strikes sites in Pakistan after Kashmir attack',
      outletCount: 3,
      links: { html: `${app.origin}/stories/${week.india[0]!.id}` },
    });
    expect(body.stories[0].outlets.map((o: any) => o.name)).toEqual(['Al Jazeera', 'Times of India', 'BBC News']);
    // 9 May had no article: it is there, as 0.
    expect(body.days).toEqual([
      { day: '2025-05-07', items: 3 },
      { day: '2025-05-08', items: 2 },
      { day: '2025-05-09', items: 0 },
      { day: '2025-05-10', items: 3 },
    ]);
    expect(body.topics.map((t: any) => t.name)).toEqual(['India', 'Pakistan']);
    const one = await api(`/api/storylines/${week.trade.storylineId}`, '/api/storylines/{id}');
    expect(one).toMatchObject({ title: STORYLINES.trade, storyCount: 1, stories: [{ id: week.trade.id }] });
  });

  it('names each story’s storyline on /api/stories/:id, or null before it is linked', async () => {
    const story = await api(`/api/stories/${week.conclave[2]!.id}`, '/api/stories/{id}');
    expect(story.storyline).toEqual({
      id: conclave,
      title: STORYLINES.conclave,
      storyCount: 4,
      links: {
        self: `${app.origin}/api/storylines/${conclave}`,
        html: `${app.origin}/storylines/${conclave}`,
        feed: `${app.origin}/storylines/${conclave}/feed.xml`,
      },
    });
    expect((await api(`/api/stories/${week.trade.id}`, '/api/stories/{id}')).storyline).toMatchObject({
      id: week.trade.storylineId,
      storyCount: 1,
    });
    expect((await api(`/api/stories/${week.unlinked.id}`, '/api/stories/{id}')).storyline).toBeNull();
  });

  it('answers 404 for an unknown storyline and 400 for a malformed id', async () => {
    expect((await api('/api/storylines/999999', '/api/storylines/{id}', 404)).error).toEqual({
      code: 'not_found',
      message: 'storyline 999999 not found',
    });
    expect((await api('/api/storylines/abc', '/api/storylines/{id}', 400)).error).toMatchObject({
      code: 'invalid_parameter',
      parameter: 'id',
    });
    expect((await api(`/api/storylines/${conclave}?x=1`, '/api/storylines/{id}', 400)).error.message).toBe(
      'unknown parameter: x',
    );
  });

  it('resolves a merged storyline’s id, through every merge, to the survivor, which shows the merged one’s stories', async () => {
    // Linking found "the run-up" and "the cardinals' meetings" one situation, then both the conclave;
    // their stories still name the storylines they were first linked to.
    const runUp = await seedStory(ctx.db, {
      headline: 'Pope Francis dies at 88',
      storyline: 'Pope Francis’s death',
      topics: [{ slug: 'pope-francis', name: 'Pope Francis', kind: 'person' }],
      items: [{ outlet: 'BBC News', title: 'Pope Francis dies', publishedAt: '2025-04-21T07:35:00Z' }],
    });
    const meetings = await seedStory(ctx.db, {
      headline: 'Cardinals set the conclave date',
      storyline: 'Cardinals’ meetings',
      topics: [TOPICS.conclave],
      items: [{ outlet: 'The Guardian', title: 'Conclave to begin on 7 May', publishedAt: '2025-04-28T12:00:00Z' }],
    });
    await mergeStoryline(ctx.db, runUp.storylineId!, meetings.storylineId!);
    await mergeStoryline(ctx.db, meetings.storylineId!, conclave);
    app.cache.invalidate();
    for (const merged of [runUp.storylineId!, meetings.storylineId!]) {
      const res = await request(app.origin, `/api/storylines/${merged}`);
      expect(res.status).toBe(308);
      expect(res.headers.location).toBe(`${app.origin}/api/storylines/${conclave}`);
      expect(res.json()).toEqual({ mergedInto: conclave });
    }
    const survivor = await api(`/api/storylines/${conclave}`, '/api/storylines/{id}');
    expect(survivor.storyCount).toBe(6);
    expect(survivor.stories.map((s: any) => s.id)).toEqual([runUp.id, meetings.id, ...week.conclave.map((s) => s.id)]);
    expect(survivor.days[0]).toEqual({ day: '2025-04-21', items: 1 });
    expect(survivor.days).toHaveLength(19);
    expect((await api(`/api/stories/${runUp.id}`, '/api/stories/{id}')).storyline).toMatchObject({
      id: conclave,
      storyCount: 6,
    });
    // Listed once, under the survivor; found by a topic only its merged stories carry.
    expect((await api('/api/storylines', '/api/storylines')).storylines.map((l: any) => l.id)).toEqual([
      india,
      conclave,
    ]);
    expect(
      (await api('/api/storylines?topic=pope-francis', '/api/storylines')).storylines.map((l: any) => l.id),
    ).toEqual([conclave]);
  });

  it('documents the storyline routes, the 308 included', () => {
    for (const path of [
      '/api/storylines/{id}',
      '/storylines/{id}',
      '/storylines/{id}/feed.xml',
      '/storylines/{id}/feed.atom',
      '/storylines/{id}/feed.json',
    ]) {
      expect(doc.paths[path]?.get?.responses?.['308'], path).toBeDefined();
    }
    expect(doc.paths['/api/storylines'].get.parameters.map((p: any) => p.name)).toEqual([
      'topic',
      'since',
      'until',
      'limit',
      'cursor',
    ]);
    expect(doc.components.schemas.StoryDetail.properties.storyline).toBeDefined();
  });
});
