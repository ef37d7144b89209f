// The storylines the real story writer makes of the demo week, as the server shows them: the API's
// storylines hold the stories that name them, counted as stored; the timeline of the largest in
// headless Chromium (stories in order, one bar per day); its feed read by feedparser; every story page
// of it says "Part of" it. Also makes the README screenshot of a timeline (docs/storyline.png).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { DEMO_DATASET_PATH } from '../../src/demo/server.js';
import { CHROMIUM, CHROMIUM_ARGS, chromiumMissing } from '../helpers/chromium.js';
import { describeEachDb } from '../helpers/db.js';
import { loadDemoWeek } from '../helpers/demo-week.js';
import { skipWithReason } from '../helpers/skip.js';
import { getJson, getText, request, startApp, type RunningApp } from '../server/helpers.js';
import { assertMatches } from '../server/openapi-check.js';
import { feedparserMissing, parseWithFeedparser } from '../server/tools.js';

const SCREENSHOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../docs/storyline.png');
const missing = !fs.existsSync(DEMO_DATASET_PATH) ? `the demo week is not at ${DEMO_DATASET_PATH}` : null;
const skipIfMissing = (t: TestContext, more: string | null = null): void => skipWithReason(t, missing ?? more);

describeEachDb('the demo week’s storylines as served', (ctx) => {
  let app: RunningApp;
  let doc: Record<string, any>;
  let listed: any[] = [];

  beforeAll(async () => {
    if (missing) return;
    await loadDemoWeek(ctx.db);
    app = await startApp(ctx.db);
    doc = await getJson(app.origin, '/api/openapi.json');
    // Every storyline of several stories, page by page.
    for (let url: string | null = '/api/storylines?limit=100'; url;) {
      const res = await request(app.origin, url);
      assertMatches(doc, '/api/storylines', 'get', 200, res.json());
      const page = res.json<{ storylines: any[]; next: string | null }>();
      listed.push(...page.storylines);
      url = page.next && page.next.replace(app.origin, '');
    }
  }, 240_000);
  afterAll(() => app?.close());

  it(
    'lists storylines of several stories, each holding exactly the stories that name it, counted as stored',
    { timeout: 120_000 },
    async (t) => {
      skipIfMissing(t);
      expect(listed.length).toBeGreaterThan(10);
      const live = await ctx.db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM storylines WHERE merged_into IS NULL AND story_count > 1',
      );
      expect(listed).toHaveLength(live.rows[0]!.n);
      for (const l of listed.slice(0, 15)) {
        const res = await request(app.origin, `/api/storylines/${l.id}`);
        assertMatches(doc, '/api/storylines/{id}', 'get', 200, res.json());
        const detail = res.json<any>();
        const named = await ctx.db.query<{ id: number }>(
          'SELECT id FROM stories WHERE storyline_id = $1 AND merged_into IS NULL ORDER BY first_seen_at, id',
          [l.id],
        );
        expect(detail.stories.map((s: any) => s.id)).toEqual(named.rows.map((r) => r.id));
        expect(detail.stories).toHaveLength(l.storyCount);
        expect(detail.days.reduce((n: number, d: any) => n + d.items, 0)).toBe(l.itemCount);
        const times = detail.stories.map((s: any) => s.firstSeenAt);
        expect(times).toEqual([...times].sort());
        const story = await getJson(app.origin, `/api/stories/${detail.stories[0].id}`);
        expect(story.storyline).toMatchObject({ id: l.id, title: l.title, storyCount: l.storyCount });
      }
    },
  );

  it('says on each story page of a storyline that it is part of it', async (t) => {
    skipIfMissing(t);
    const largest = [...listed].sort((a, b) => b.storyCount - a.storyCount)[0];
    const detail = await getJson(app.origin, `/api/storylines/${largest.id}`);
    for (const s of detail.stories.slice(0, 10))
      expect(await getText(app.origin, `/stories/${s.id}`)).toContain(
        `<p class="part-of">Part of <a href="/storylines/${largest.id}">`,
      );
  });

  it('gives each storyline a feed that feedparser reads cleanly, one entry per story', async (t) => {
    skipIfMissing(t, await feedparserMissing());
    for (const l of listed.slice(0, 5)) {
      const res = await request(app.origin, `/storylines/${l.id}/feed.atom`);
      const parsed = await parseWithFeedparser(res.text, String(res.headers['content-type']));
      expect(parsed.bozo).toBe(false);
      expect(parsed.entries).toHaveLength(Math.min(50, l.storyCount));
    }
  });

  describe('in Chromium', () => {
    let browser: Browser | undefined;
    beforeAll(async () => {
      if (!missing && !chromiumMissing())
        browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    });
    afterAll(() => browser?.close());

    it('shows the largest storyline’s timeline: its stories in order, one bar per day of its span', async (t) => {
      skipIfMissing(t, chromiumMissing());
      const largest = [...listed].sort((a, b) => b.storyCount - a.storyCount || b.itemCount - a.itemCount)[0];
      const detail = await getJson(app.origin, `/api/storylines/${largest.id}`);
      const page = await browser!.newPage({ viewport: { width: 1100, height: 1300 } });
      await page.goto(`${app.origin}/storylines/${largest.id}`);
      expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe(largest.title);
      expect(await page.locator('ol.timeline h3').allInnerTexts()).toEqual(detail.stories.map((s: any) => s.headline));
      const bars = (await page.evaluate(
        `[...document.querySelectorAll('svg rect.bar')].map((r) => ({ day: r.getAttribute('data-day'), height: r.getBoundingClientRect().height }))`,
      )) as Array<{ day: string; height: number }>;
      expect(bars.map((b) => b.day)).toEqual(detail.days.map((d: any) => d.day));
      const first = detail.stories[0].firstSeenAt.slice(0, 10);
      const last = detail.stories
        .map((s: any) => s.lastSeenAt)
        .sort()
        .at(-1)
        .slice(0, 10);
      expect([bars[0]!.day, bars.at(-1)!.day]).toEqual([first, last]);
      expect(Math.max(...bars.map((b) => b.height))).toBeGreaterThan(50);
      if (process.env.UPDATE_SCREENSHOT === '1' || !fs.existsSync(SCREENSHOT))
        await page.screenshot({ path: SCREENSHOT });
      await page.close();
    });
  });
});
