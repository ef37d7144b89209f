// Fetch metrics where the fetching happens: a RUN=worker process serves its own /metrics (and
// /healthz) on METRICS_PORT, beside a RUN=server process on a shared Postgres. Label sets stay
// bounded: however many outlets, one series per outcome and status class.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '../helpers/db.js';
import { entries, rss } from '../helpers/feeds.js';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server.js';
import {
  eventually,
  openSharedDb,
  startStoryline,
  stopStoryline,
  writeSources,
  type RunningCli,
  type SharedDb,
} from '../resilience/service.js';

const OUTLETS = 6;
let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer();
  for (let i = 0; i < OUTLETS; i++)
    server.set(
      `/feed-${i}.xml`,
      i < 4 ? { body: rss(`Feed ${i}`, entries(`m${i}`, 2)) } : { status: 404, body: 'gone elsewhere' },
    );
});
afterAll(() => server.close());

/** The storyline_* sample lines of an exposition text. */
const samples = (text: string, name: string): string[] =>
  text.split('\n').filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `));

for (const backend of testBackends()) {
  describe(`worker metrics [${backend}]`, () => {
    let shared: SharedDb;
    const running: RunningCli[] = [];
    beforeAll(async () => {
      shared = await openSharedDb(backend);
    }, 120_000);
    afterAll(async () => {
      for (const cli of running) await stopStoryline(cli, 'SIGTERM');
      await shared.close();
    });

    it(
      'a RUN=worker process serves its fetch metrics on METRICS_PORT, with no per-outlet series',
      { timeout: 180_000 },
      async () => {
        const urls = Array.from({ length: OUTLETS }, (_, i) => server.url(`/feed-${i}.xml`));
        const env = {
          ...shared.env,
          SOURCES_FILE: writeSources(shared.dir, urls),
          ALLOW_PRIVATE_HOSTS: server.hostPort,
          FETCH_SCHEDULE: '0 0 1 1 *',
        };
        // On Postgres the web process runs apart, as in docker-compose.yml; the embedded database admits one process.
        if (backend === 'pg') running.push(await startStoryline({ ...env, RUN: 'server', PORT: '0' }));
        const worker = await startStoryline({ ...env, RUN: 'worker', METRICS_PORT: '0' }, { server: false });
        running.push(worker);
        const port = Number((await worker.waitForLog((l) => l.msg === 'metrics listening', 120_000)).port);
        const origin = `http://127.0.0.1:${port}`;

        expect(await (await fetch(`${origin}/healthz`)).json()).toEqual({ status: 'ok' });
        expect((await fetch(`${origin}/feed.xml`)).status).toBe(404);
        const text = await eventually(
          async () => {
            const body = await (await fetch(`${origin}/metrics`)).text();
            return body.includes('storyline_fetches_total{outcome="error",status="4xx"} 2') &&
              body.includes('storyline_stories_created_total')
              ? body
              : null;
          },
          90_000,
          'the pass counted in the worker’s metrics',
        );
        expect(samples(text, 'storyline_fetches_total')).toEqual([
          'storyline_fetches_total{outcome="ok",status="2xx"} 4',
          'storyline_fetches_total{outcome="error",status="4xx"} 2',
        ]);
        expect(text).toContain('storyline_items_stored_total{kind="new"} 8');
        // A histogram per outcome: its buckets, +Inf, sum and count. Six outlets, two outcomes.
        const durations = samples(text, 'storyline_fetch_duration_seconds_bucket');
        expect(durations).toHaveLength(2 * 10);
        expect(text.split('\n').filter((l) => l.startsWith('storyline_') && l.includes('outlet='))).toEqual([]);
        expect(text).toContain('process_resident_memory_bytes');

        if (backend === 'pg') {
          // The web process's own /metrics counts its requests; the fetches are the worker's.
          const web = await (await fetch(`${running[0]!.url}/metrics`)).text();
          expect(samples(web, 'storyline_fetches_total')).toEqual([]);
        }
      },
    );
  });
}
