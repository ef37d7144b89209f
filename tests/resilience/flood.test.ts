// No single client can stall the service (issue 12), through the real `storyline start` and
// database: while clients loop distinct uncached requests, /healthz and a cached feed keep being
// answered; a large OPML import runs in batches with progress while the service answers, and one
// over OPML_MAX_FEEDS is refused with a message.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedScale, defaultShape } from '../../bench/scale-seed.js';
import { testBackends } from '../helpers/db.js';
import { request } from '../server/helpers.js';
import {
  openSharedDb,
  startStoryline,
  stopStoryline,
  writeSources,
  type RunningCli,
  type SharedDb,
} from './service.js';

const TOKEN = 'flood-test-token';
const WORDS = [
  'pope',
  'trump',
  'tariffs',
  'india',
  'pakistan',
  'gaza',
  'election',
  'court',
  'market',
  'china',
  'minister',
  'police',
];

/** Loops over distinct uncached URLs until `isDone()`, pushing each status to `statuses`. */
function loopUncached(origin: string, worker: number, isDone: () => boolean, statuses: number[]): Promise<void> {
  return (async () => {
    for (let n = 0; !isDone(); n++) {
      const word = `${WORDS[(worker + n) % WORDS.length]} ${WORDS[(worker * 7 + n * 3) % WORDS.length]}`;
      const paths = [
        `/api/search?q=${encodeURIComponent(`${word} or w${worker}x${n}`)}`,
        `/feed.xml?limit=200&q=${encodeURIComponent(`${word} -w${worker}x${n}`)}`,
        `/?q=${encodeURIComponent(`${word} w${n}`)}`,
      ];
      const res = await request(origin, paths[n % paths.length]!, {
        headers: { host: `random-${worker}-${n}.example` },
      }).catch(() => null);
      statuses.push(res?.status ?? 0);
    }
  })();
}

const opmlOf = (count: number, tag: string): string =>
  `<?xml version="1.0"?><opml version="2.0"><head><title>t</title></head><body>\n${Array.from(
    { length: count },
    (_, i) =>
      `<outline type="rss" text="Feed ${i}" outlet="Import ${tag} ${i % 97}" xmlUrl="https://import-${tag}-${i}.example/rss.xml"/>`,
  ).join('\n')}\n</body></opml>`;

for (const backend of testBackends()) {
  describe(`a flood of uncached requests [${backend}]`, () => {
    let shared: SharedDb;
    let cli: RunningCli;

    beforeAll(async () => {
      shared = await openSharedDb(backend);
      const db = await shared.open();
      await seedScale(db, { ...defaultShape(3000), feeds: 200, outlets: 60, googleFeeds: 10 });
      await db.close();
      cli = await startStoryline({
        ...shared.env,
        RUN: 'server',
        PORT: '0',
        SOURCES_FILE: writeSources(shared.dir, []),
        ADMIN_TOKEN: TOKEN,
        // As from many clients: the concurrency bound alone has to hold.
        RENDER_RATE_LIMIT: '0',
        OPML_MAX_FEEDS: '2500',
      });
    }, 180_000);
    afterAll(async () => {
      if (cli) await stopStoryline(cli, 'SIGTERM');
      await shared?.close();
    });

    it(
      'keeps answering /healthz and a cached feed while 24 clients loop distinct uncached requests',
      { timeout: 120_000 },
      async () => {
        expect((await request(cli.url!, '/feed.xml')).status).toBe(200);
        let done = false;
        const statuses: number[] = [];
        const flood = Array.from({ length: 24 }, (_, w) => loopUncached(cli.url!, w, () => done, statuses));
        const health: number[] = [];
        const cached: Array<{ status: number; cache: string | undefined }> = [];
        // Probe until the flood has had three rounds of requests answered: counted, never timed.
        while (statuses.length < 72) {
          health.push((await request(cli.url!, '/healthz')).status);
          const feed = await request(cli.url!, '/feed.xml');
          cached.push({ status: feed.status, cache: feed.headers['x-cache'] as string | undefined });
        }
        done = true;
        await Promise.all(flood);
        expect(health.every((s) => s === 200)).toBe(true);
        expect(cached.every((c) => c.status === 200 && c.cache === 'hit')).toBe(true);
        // Uncached requests were rendered or refused at once; none failed.
        expect(health.length).toBeGreaterThan(0);
        expect(statuses.filter((s) => s !== 200 && s !== 503)).toEqual([]);
        expect(statuses).toContain(200);
      },
    );

    it(
      'imports a large OPML document in batches, with progress, answering /healthz meanwhile',
      { timeout: 120_000 },
      async () => {
        const importing = request(cli.url!, '/api/admin/opml', {
          method: 'POST',
          headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'text/x-opml' },
          body: opmlOf(2400, backend),
        });
        let answered = 0;
        let finished = false;
        void importing.then(() => (finished = true));
        while (!finished) {
          expect((await request(cli.url!, '/healthz')).status).toBe(200);
          answered += 1;
        }
        const result = await importing;
        expect(result.status).toBe(200);
        expect(result.json()).toEqual({ added: 2400, existing: 0 });
        expect(answered).toBeGreaterThan(0);
        await cli.waitForLog(
          (l) => l.msg === 'sources import progress' && l.done === 2400,
          10_000,
          'last progress line',
        );
        const progress = cli.logs.filter((l) => l.msg === 'sources import progress');
        expect(progress.map((l) => l.done)).toEqual([500, 1000, 1500, 2000, 2400]);
        const feeds = (await request(cli.url!, '/api/feeds')).json<{ feeds: Array<{ url: string }> }>().feeds;
        expect(feeds.filter((f) => f.url.includes(`import-${backend}-`))).toHaveLength(2400);
      },
    );

    it('refuses an OPML document with more feeds than OPML_MAX_FEEDS, adding none', async () => {
      const res = await request(cli.url!, '/api/admin/opml', {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'text/x-opml' },
        body: opmlOf(2501, `${backend}-big`),
      });
      expect(res.status).toBe(400);
      expect(res.json<{ error: { message: string } }>().error.message).toBe(
        'sources: the OPML document lists 2,501 feeds, more than the 2,500 one import may add (OPML_MAX_FEEDS); split it or raise the limit',
      );
      const feeds = (await request(cli.url!, '/api/feeds')).json<{ feeds: Array<{ url: string }> }>().feeds;
      expect(feeds.some((f) => f.url.includes(`import-${backend}-big-`))).toBe(false);
    });
  });
}
