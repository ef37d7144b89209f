// The demo week (2,040 real items, 33 feeds) through the real worker: fixture feeds over HTTP, the real
// database, the real story writer. It must group as `storyline cluster` groups the same items, and as
// the hand-made story labels do (a regression guard on the aggregate score, not the target).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { DEMO_DATASET_PATH, startDemoFeeds, type DemoFeeds } from '../../src/demo/server.js';
import { createSilentLogger } from '../../src/log.js';
import { createWorkerDeps } from '../../src/worker/deps.js';
import { loadSources } from '../../src/worker/feed-operations.js';
import { runUpkeep } from '../../src/worker/upkeep.js';
import { groupFile } from '../../src/cli/group-file.js';
import { regroupAll } from '../../src/worker/stories/recluster.js';
import { runPass } from '../../src/worker/worker.js';
import { scoreAgainst, storylineGoldFile } from '../helpers/bcubed.js';
import { describeEachDb } from '../helpers/db.js';

const LABELS = path.join(path.dirname(DEMO_DATASET_PATH), 'labels.jsonl');
const hasDataset = fs.existsSync(DEMO_DATASET_PATH) && fs.existsSync(LABELS);
if (!hasDataset)
  console.log(
    `skip: the demo week (${DEMO_DATASET_PATH}, labels.jsonl) is missing: shared/ must sit beside the repository`,
  );

let demo: DemoFeeds;
let standalone: Map<string, string | number>;
let standaloneLines: Map<string, string | number>;
beforeAll(async () => {
  if (!hasDataset) return;
  demo = await startDemoFeeds({ datasetPath: DEMO_DATASET_PATH });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'storyline-demo-week-'));
  const groups = async (level: 'stories' | 'storylines') => {
    await groupFile(DEMO_DATASET_PATH, path.join(dir, 'out.jsonl'), { level });
    return new Map(
      fs
        .readFileSync(path.join(dir, 'out.jsonl'), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => {
          const { id, story } = JSON.parse(l) as { id: string; story: number };
          return [id, story] as const;
        }),
    );
  };
  standalone = await groups('stories');
  standaloneLines = await groups('storylines');
  fs.rmSync(dir, { recursive: true, force: true });
});
afterAll(() => demo?.close());

// Each item's storyline, following storyline merges as a reader's link would.
async function storylinesByItem(ctx: { db: import('../../src/store/db/db.js').Db }): Promise<Map<string, number>> {
  const rows = await ctx.db.query<{ item_key: string; storyline_id: number }>(`
    WITH RECURSIVE chain AS (
      SELECT id, id AS final FROM storylines WHERE merged_into IS NULL
      UNION ALL SELECT l.id, c.final FROM storylines l JOIN chain c ON l.merged_into = c.id
    )
    SELECT i.item_key, c.final AS storyline_id FROM items i JOIN stories s ON s.id = i.story_id JOIN chain c ON c.id = s.storyline_id`);
  return new Map(rows.rows.map((r) => [r.item_key, Number(r.storyline_id)]));
}

async function storiesByItem(ctx: { db: import('../../src/store/db/db.js').Db }): Promise<Map<string, number>> {
  const rows = await ctx.db.query<{ item_key: string; story_id: number }>('SELECT item_key, story_id FROM items');
  return new Map(rows.rows.map((r) => [r.item_key, r.story_id]));
}

describeEachDb('the demo week through the real worker', (ctx) => {
  it.skipIf(!hasDataset)(
    'groups as `storyline cluster` does, and close to the hand-made story labels',
    { timeout: 240_000 },
    async () => {
      // The week in one batch of the story writer, so the pass groups in published order as `storyline
      // cluster` does (with the default 2,000 a pass groups its first 2,000 arrivals while fetching the
      // rest: F1 0.876 against 0.880 when measured, but then recluster is not the pass's grouping again).
      const config = loadConfig({
        ALLOW_PRIVATE_HOSTS: demo.hostPort,
        FETCH_CONCURRENCY: '8',
        FETCH_PER_HOST: '8',
        STORY_BATCH: '5000',
      });
      const logger = createSilentLogger();
      await loadSources(ctx.db, demo.sources, logger);
      const reports = await runPass(createWorkerDeps(ctx.db, config, logger), { everyFeed: true });
      expect(reports.filter((r) => r.outcome !== 'ok')).toEqual([]);

      const service = await storiesByItem(ctx);
      expect(service.size).toBe(2040);
      const served = scoreAgainst(LABELS, service);
      const alone = scoreAgainst(LABELS, standalone);
      console.log(
        `demo week [${ctx.backend}]: worker F1 ${served.bcubed_f1.toFixed(3)}, storyline cluster F1 ${alone.bcubed_f1.toFixed(3)}`,
      );
      expect(Math.abs(served.bcubed_f1 - alone.bcubed_f1)).toBeLessThanOrEqual(0.01);
      expect(served.bcubed_f1).toBeGreaterThanOrEqual(0.85);

      // Every story counts at least the outlet it shows, and its count matches its rows.
      const bad = await ctx.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM stories s WHERE s.merged_into IS NULL
         AND (s.outlet_count < 1 OR s.item_count <> (SELECT count(*) FROM items i WHERE i.story_id = s.id))`,
      );
      expect(bad.rows[0]!.n).toBe(0);
    },
  );

  it.skipIf(!hasDataset)(
    'links its stories into storylines as `storyline cluster --level storylines` does, and keeps storyline ids across a recluster',
    { timeout: 240_000 },
    async () => {
      const gold = storylineGoldFile();
      const service = await storylinesByItem(ctx);
      expect(service.size).toBe(2040);
      const served = scoreAgainst(gold, service);
      const alone = scoreAgainst(gold, standaloneLines);
      console.log(
        `demo week storylines [${ctx.backend}]: worker F1 ${served.bcubed_f1.toFixed(3)}, --level storylines F1 ${alone.bcubed_f1.toFixed(3)}`,
      );
      expect(Math.abs(served.bcubed_f1 - alone.bcubed_f1)).toBeLessThanOrEqual(0.01);
      expect(served.pred_clusters).toBeLessThan((await storiesByItem(ctx)).size);

      // Every live story is in a live storyline, and each storyline's counts are its stories'.
      const bad = await ctx.db.query<{ n: number }>(`
      SELECT count(*)::int AS n FROM stories s LEFT JOIN storylines l ON l.id = s.storyline_id
      WHERE s.merged_into IS NULL AND (l.id IS NULL OR l.merged_into IS NOT NULL)`);
      expect(bad.rows[0]!.n).toBe(0);
      const counts = await ctx.db.query<{ n: number }>(`
      SELECT count(*)::int AS n FROM storylines l WHERE l.merged_into IS NULL AND (
        l.story_count <> (SELECT count(*) FROM stories s WHERE s.storyline_id = l.id AND s.merged_into IS NULL)
        OR l.item_count <> (SELECT coalesce(sum(s.item_count), 0) FROM stories s WHERE s.storyline_id = l.id AND s.merged_into IS NULL))`);
      expect(counts.rows[0]!.n).toBe(0);
      const multi = await ctx.db.query<{ title: string }>(
        `SELECT title FROM storylines WHERE merged_into IS NULL AND story_count > 1 ORDER BY item_count DESC LIMIT 5`,
      );
      expect(multi.rows.length).toBe(5);
      for (const r of multi.rows) expect(r.title).not.toBe('');

      // The same items grouped again: the same storylines under the same ids.
      const stories = await storiesByItem(ctx);
      await regroupAll(ctx.db, { now: new Date() });
      expect(await storylinesByItem(ctx)).toEqual(service);
      expect(await storiesByItem(ctx)).not.toEqual(stories);
    },
  );

  it.skipIf(!hasDataset)(
    'runs upkeep on a week far in the past with an unbounded retention: no error, nothing pruned, same stories',
    async () => {
      const before = await storiesByItem(ctx);
      const result = await runUpkeep(ctx.db, { retention: Number.MAX_SAFE_INTEGER }, new Date());
      expect(result).toEqual({ items: 0, stories: 0, cut: null });
      // A retention that reaches back before the week also prunes nothing of it, and never fails.
      expect(await runUpkeep(ctx.db, { retention: 3 * 365 * 86_400_000 }, new Date())).toMatchObject({
        items: 0,
        stories: 0,
      });
      expect(await storiesByItem(ctx)).toEqual(before);
    },
  );
});
