// The queries behind every route stay flat as the data grows (issue 12): at a seeded size, each
// query a request of each route makes is run again under EXPLAIN ANALYZE, and none may scan a whole
// growing table (items, stories, assignments, topics, story-topic rows), read most of one through an
// index, or sort on disk. Sequential scans are priced out while planning: at this size the planner
// rightly reads a small table whole, and the question is whether an index serves it once it is large.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { defaultShape, seedScale } from '../../bench/scale-seed.js';
import { explainQuery, recordingDb } from '../../bench/query-plans.js';
import { routeSamples, type RouteSample } from '../../bench/scale-routes.js';
import { describeEachDb } from '../helpers/db.js';
import { request, startApp, type RunningApp } from './helpers.js';

// Large enough that the planner weighs indexes as it does at a million (a small table is cheaper
// read whole), small enough to seed in seconds.
const ITEMS = 30_000;
// Reading most of a table this large is reading it whole: at this size the topics table has some
// 4,500 rows and storylines some 20,000 (a hash of either is a hash of 150,000 or 700,000 at 1M).
const SMALL_TABLE_ROWS = 1_000;

describeEachDb('query plans of every route', (ctx) => {
  let app: RunningApp;
  let recorder: ReturnType<typeof recordingDb>;
  let samples: RouteSample[];

  beforeAll(async () => {
    await seedScale(ctx.db, { ...defaultShape(ITEMS), feeds: 1500, outlets: 400, googleFeeds: 30 });
    recorder = recordingDb(ctx.db);
    app = await startApp(recorder.db, { env: { RENDER_RATE_LIMIT: '0' } });
    samples = await routeSamples(ctx.db);
  }, 240_000);
  afterAll(() => app.close());

  it('reads no growing table whole and sorts nothing on disk', { timeout: 240_000 }, async () => {
    const found: string[] = [];
    for (const sample of samples) {
      for (const path of sample.paths.slice(0, 2)) {
        app.cache.invalidate();
        recorder.take();
        const res = await request(app.origin, path);
        expect(res.status, path).toBe(200);
        const queries = recorder.take();
        for (const query of queries) {
          for (const problem of (
            await explainQuery(ctx.db, query, { indexesOnly: true, smallTableRows: SMALL_TABLE_ROWS })
          ).problems)
            found.push(`${path}: ${problem} in ${query.sql.replace(/\s+/g, ' ').slice(0, 120)}`);
        }
      }
    }
    expect(found).toEqual([]);
  });
});
