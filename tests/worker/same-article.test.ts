// The same article reached through several feeds is one article: it joins its first appearance's story,
// is not counted as another outlet, and is credited to the outlet whose site it is on. Through the real
// worker (fixture feeds over HTTP), the real story writer and the real API.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { DEMO_DATASET_PATH, startDemoFeeds } from '../../src/demo/server.js';
import { createSilentLogger } from '../../src/log.js';
import { createWorkerDeps } from '../../src/worker/deps.js';
import { loadSources } from '../../src/worker/feed-operations.js';
import type { FeedSource } from '../../src/model.js';
import { runPass } from '../../src/worker/worker.js';
import { describeEachDb } from '../helpers/db.js';
import { rss } from '../helpers/feeds.js';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server.js';
import { getJson, startApp, type RunningApp } from '../server/helpers.js';

const at = (h: number) => new Date(Date.UTC(2025, 4, 5, h)).toUTCString();
const ARTICLE = 'https://www.nytimes.com/2025/05/05/world/americas/sheinbaum-trump-troops.html';
const BBC_ARTICLE = 'https://www.bbc.co.uk/news/articles/c0heatwave';

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer({
    '/nyt/home.xml': {
      body: rss('NYT > Top Stories', [
        {
          guid: 'home-1',
          title: 'Mexico’s President Says She Rejected Trump’s Offer of U.S. Troops',
          link: ARTICLE,
          pubDate: at(9),
        },
      ]),
    },
    '/nyt/world.xml': {
      body: rss('NYT > World', [
        {
          guid: 'world-1',
          title: 'Mexico’s President Says She Rejected Trump’s Offer of U.S. Troops',
          link: `${ARTICLE}?smid=rss`,
          pubDate: at(9),
        },
      ]),
    },
    '/roundup.xml': {
      body: rss('Daily Roundup', [
        {
          guid: 'r-1',
          title: 'Heatwave grips southern Spain as temperatures pass 40C',
          link: BBC_ARTICLE,
          pubDate: at(10),
        },
      ]),
    },
    '/bbc.xml': {
      body: rss('BBC News', [
        {
          guid: 'b-1',
          title: 'Heatwave grips southern Spain as temperatures pass 40C',
          link: BBC_ARTICLE,
          pubDate: at(10),
        },
      ]),
    },
  });
});
afterAll(() => server.close());

const source = (p: string, outlet: string, site: string, section: string | null = null): FeedSource => ({
  url: server.url(p),
  outlet,
  section,
  title: null,
  site,
  region: null,
});

describeEachDb('the same article through several feeds', (ctx) => {
  let app: RunningApp;
  const logger = createSilentLogger();
  const pass = async () => {
    const config = loadConfig({ ALLOW_PRIVATE_HOSTS: server.hostPort });
    // As the service wires it: a pass that stored something drops the server's cached answers.
    const reports = await runPass(
      createWorkerDeps(ctx.db, config, logger, { onDataChanged: () => app.cache.invalidate('news') }),
      { everyFeed: true },
    );
    expect(reports.every((r) => r.outcome === 'ok' || r.outcome === 'not-modified' || r.outcome === 'unchanged')).toBe(
      true,
    );
  };
  const storyOfLink = async (link: string) => {
    const r = await ctx.db.query<{ story_id: number }>('SELECT DISTINCT story_id FROM items WHERE canonical_url = $1', [
      link,
    ]);
    return r.rows.map((x) => x.story_id);
  };
  beforeAll(async () => {
    app = await startApp(ctx.db);
  });
  afterAll(() => app.close());

  it('two sections of one outlet carrying one article make one story with one outlet', async () => {
    await loadSources(
      ctx.db,
      [
        source('/nyt/home.xml', 'The New York Times', 'https://www.nytimes.com', 'Home'),
        source('/nyt/world.xml', 'The New York Times', 'https://www.nytimes.com', 'World'),
      ],
      logger,
    );
    await pass();
    const stories = await storyOfLink(ARTICLE);
    expect(stories).toHaveLength(1);
    const story = await getJson(app.origin, `/api/stories/${stories[0]}`);
    expect(story).toMatchObject({ outletCount: 1 });
    expect(story.outlets.map((o: { name: string }) => o.name)).toEqual(['The New York Times']);
  });

  it('credits an article to the outlet whose site it is on, not to the feed that carried it first', async () => {
    await loadSources(ctx.db, [source('/roundup.xml', 'Daily Roundup', 'https://roundup.example')], logger);
    await pass();
    await loadSources(ctx.db, [source('/bbc.xml', 'BBC News', 'https://www.bbc.co.uk')], logger);
    await pass();
    const stories = await storyOfLink(BBC_ARTICLE);
    expect(stories).toHaveLength(1);
    const story = await getJson(app.origin, `/api/stories/${stories[0]}`);
    expect(story.outlets.map((o: { name: string }) => o.name)).toEqual(['BBC News']);
    expect(story.outletCount).toBe(1);
    const why = await ctx.db.query<{ reason: string }>(
      "SELECT a.reason FROM story_assignments a JOIN items i ON i.id = a.item_id WHERE i.item_key = 'b-1'",
    );
    expect(why.rows[0]!.reason).toBe('same-url');
  });
});

const hasDataset = fs.existsSync(DEMO_DATASET_PATH);
if (!hasDataset)
  console.log(`skip: the demo dataset ${DEMO_DATASET_PATH} is missing (shared/ must sit beside the repository)`);

describeEachDb('the demo served twice, at two addresses, into one database', (ctx) => {
  it.skipIf(!hasDataset)(
    'makes no second story of any article, and no story without an outlet',
    { timeout: 120_000 },
    async () => {
      // A day of the week is enough: every article comes twice, through feeds at two new addresses.
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'storyline-demo-twice-'));
      const dataset = path.join(dir, 'day.jsonl');
      fs.writeFileSync(
        dataset,
        fs
          .readFileSync(DEMO_DATASET_PATH, 'utf8')
          .split('\n')
          .filter((l) => l.includes('"published": "2025-05-06'))
          .join('\n'),
      );
      const logger = createSilentLogger();
      const counts = async () =>
        (
          await ctx.db.query<{ stories: number; items: number; no_outlet: number }>(
            `SELECT (SELECT count(*)::int FROM stories WHERE merged_into IS NULL) AS stories, (SELECT count(*)::int FROM items) AS items,
                (SELECT count(*)::int FROM stories WHERE merged_into IS NULL AND outlet_count < 1) AS no_outlet`,
          )
        ).rows[0]!;
      const outlets = async () =>
        (
          await ctx.db.query<{ id: number; outlet_count: number }>(
            'SELECT id, outlet_count FROM stories WHERE merged_into IS NULL ORDER BY id',
          )
        ).rows;
      let first: Awaited<ReturnType<typeof counts>> | null = null;
      let firstOutlets: Awaited<ReturnType<typeof outlets>> = [];
      for (let run = 0; run < 2; run++) {
        const demo = await startDemoFeeds({ datasetPath: dataset });
        try {
          await loadSources(ctx.db, demo.sources, logger);
          const config = loadConfig({ ALLOW_PRIVATE_HOSTS: demo.hostPort, FETCH_PER_HOST: '8' });
          await runPass(createWorkerDeps(ctx.db, config, logger), { everyFeed: true });
        } finally {
          await demo.close();
        }
        if (run === 0) [first, firstOutlets] = [await counts(), await outlets()];
      }
      fs.rmSync(dir, { recursive: true, force: true });
      const second = await counts();
      expect(second.items).toBe(2 * first!.items);
      expect(second.stories).toBe(first!.stories);
      expect(second.no_outlet).toBe(0);
      expect(await outlets()).toEqual(firstOutlets);
    },
  );
});
