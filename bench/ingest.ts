// npm run bench:ingest — a full fetch pass over 1,000 local feeds of 50 items into the database,
// a 304 pass and an unchanged-body pass, each next to floors measured in the same run; then the
// side by side with newsboat (ingest-compare.ts): `fetch --once` cold and warm, grouping included.
//   BENCH_FEEDS=200 for a quick run (default 1,000); INGEST_ROUNDS=1 (default 3 interleaved rounds).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import Parser from 'rss-parser';
import { loadConfig } from '../src/config.js';
import { createSilentLogger } from '../src/log.js';
import { createWorkerDeps } from '../src/worker/deps.js';
import type { Item, ParsedFeed } from '../src/model.js';
import { normalizeItems } from '../src/normalize/index.js';
import { parseFeed } from '../src/parse/index.js';
import type { Db } from '../src/store/db/db.js';
import { addFeed } from '../src/store/feeds.js';
import { runPass } from '../src/worker/worker.js';
import { compareWithFeedReader } from './ingest-compare.js';
import { openBenchDb, printTable, startMemorySampler } from './lib.js';
import { ITEMS_PER_FEED, feedBody } from './static-feeds.js';

const FEEDS = Number(process.env.BENCH_FEEDS ?? 1000);
const ITEMS = ITEMS_PER_FEED;
const ROUNDS = Number(process.env.INGEST_ROUNDS ?? 3);

async function startServer(bodies: string[]): Promise<{ server: http.Server; origin: string }> {
  const server = http.createServer((req, res) => {
    const f = Number(/\/feed\/(\d+)/.exec(req.url ?? '')?.[1]);
    const body = bodies[f];
    if (body === undefined) return void res.writeHead(404).end();
    const etag = `"f${f}"`;
    if (req.headers['if-none-match'] === etag) return void res.writeHead(304, { etag }).end();
    res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8', etag }).end(body);
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}

/** Floor: the same rows with one multi-row INSERT … ON CONFLICT per batch of 500. */
async function insertFloor(db: Db, feedIds: number[], items: Item[][]): Promise<number> {
  const cols = [
    'feed_id',
    'item_key',
    'url',
    'canonical_url',
    'title',
    'summary',
    'content_html',
    'author',
    'published_at',
    'categories',
    'content_hash',
  ];
  const rows = items.flatMap((list, f) =>
    list.map((i) => [
      feedIds[f],
      i.key,
      i.url,
      i.canonicalUrl,
      i.title,
      i.summary,
      i.contentHtml,
      i.author,
      i.publishedAt,
      i.categories,
      i.contentHash,
    ]),
  );
  const t0 = performance.now();
  for (let start = 0; start < rows.length; start += 500) {
    const batch = rows.slice(start, start + 500);
    // Placeholders only: the values are bound.
    const values = batch.map((_, r) => `(${cols.map((__, c) => `$${r * cols.length + c + 1}`).join(', ')})`).join(', ');
    await db.query(
      `INSERT INTO items (${cols.join(', ')}) VALUES ${values} ON CONFLICT (feed_id, item_key) DO NOTHING`,
      batch.flat(),
    );
  }
  return performance.now() - t0;
}

async function main(): Promise<void> {
  const bodies = Array.from({ length: FEEDS }, (_, f) => feedBody(f));
  const { server, origin } = await startServer(bodies);
  const memory = startMemorySampler();
  const bench = await openBenchDb('bench_ingest');
  const floorDb = await openBenchDb('bench_ingest_floor');
  const config = loadConfig({
    ALLOW_PRIVATE_HOSTS: new URL(origin).host,
    FETCH_CONCURRENCY: '32',
    FETCH_PER_HOST: '32',
    FETCH_BATCH: '1000',
  });
  const deps = { ...createWorkerDeps(bench.db, config, createSilentLogger()), assignStories: async () => undefined };
  for (let f = 0; f < FEEDS; f++)
    await addFeed(bench.db, {
      url: `${origin}/feed/${f}`,
      outlet: `Outlet ${f % 50}`,
      section: null,
      title: null,
      site: null,
      region: null,
    });

  // Parse floors: rss-parser alone, then our parse stage, over the same bodies; each measured twice,
  // alternating, and the faster run kept, so warm-up and collector timing favour neither. Neither keeps
  // its results while timed (50,000 parsed entries held would make the collector's work part of it).
  const parser = new Parser();
  const parseWithRssParser = () =>
    timed(async () => {
      for (const b of bodies) await parser.parseString(b);
    });
  const parseWithOurs = () =>
    timed(async () => {
      for (const b of bodies) await parseFeed(b, { maxItems: 500 });
    });
  const faster = <T extends { ms: number }>(a: T, b: T): T => (a.ms <= b.ms ? a : b);
  const [rss1, ours1] = [await parseWithRssParser(), await parseWithOurs()];
  const [rss2, ours2] = [await parseWithRssParser(), await parseWithOurs()];
  const rssOnly = faster(rss1, rss2);
  const parsedOnly = faster(ours1, ours2);
  const parsedFeeds: ParsedFeed[] = [];
  for (const b of bodies) parsedFeeds.push(await parseFeed(b, { maxItems: 500 }));
  const normalized = await timed(async () =>
    parsedFeeds.map((p) => normalizeItems(p, { feedUrl: 'https://bench.example/', now: new Date(), maxItems: 500 })),
  );
  const ours = normalized;
  const floorFeeds: number[] = [];
  for (let f = 0; f < FEEDS; f++)
    floorFeeds.push(
      (
        await addFeed(floorDb.db, {
          url: `${origin}/floor/${f}`,
          outlet: 'Floor',
          section: null,
          title: null,
          site: null,
          region: null,
        })
      ).feed.id,
    );
  const insertMs = await insertFloor(floorDb.db, floorFeeds, ours.value);

  const full = await timed(() => runPass(deps, { everyFeed: true }));
  const errors = full.value.filter((r) => r.outcome !== 'ok');
  if (errors.length) throw new Error(`full pass: ${errors.length} feeds failed, first: ${errors[0]!.error}`);
  // Two 304 passes, the faster kept: the first can meet the server still vacuuming the rows just stored.
  const notModified = faster(
    await timed(() => runPass(deps, { everyFeed: true })),
    await timed(() => runPass(deps, { everyFeed: true })),
  );
  const nm = notModified.value.filter((r) => r.outcome === 'not-modified').length;

  // Unchanged bodies: drop the validators so every feed answers 200 with the same bytes.
  await bench.db.query('UPDATE feeds SET etag = NULL');
  const maxChangedBefore = await bench.db.query<{ t: Date }>('SELECT max(changed_at) AS t FROM items');
  const unchanged = await timed(() => runPass(deps, { everyFeed: true }));
  const maxChangedAfter = await bench.db.query<{ t: Date }>('SELECT max(changed_at) AS t FROM items');
  const skipped = unchanged.value.filter((r) => r.outcome === 'unchanged').length;
  memory.stop();

  const totalItems = FEEDS * ITEMS;
  const perSec = (n: number, ms: number) => (n * 1000) / ms;
  const fullItemsPerSec = perSec(totalItems, full.ms);
  const insertItemsPerSec = perSec(totalItems, insertMs);
  const parseItemsPerSec = perSec(totalItems, rssOnly.ms);
  const slowerFloor = Math.min(insertItemsPerSec, parseItemsPerSec);
  console.log(
    `Database: ${bench.kind}. ${FEEDS} feeds × ${ITEMS} items from a local server; story grouping excluded (see bench:cluster).`,
  );
  printTable(
    'Ingest',
    ['measure', 'time (s)', 'items/s', 'feeds/s', 'ratio', 'target'],
    [
      [
        'full fetch pass (fetch, parse, normalise, store)',
        full.ms / 1000,
        fullItemsPerSec,
        perSec(FEEDS, full.ms),
        `${(fullItemsPerSec / slowerFloor).toFixed(2)} of slower floor`,
        '≥ 0.50',
      ],
      ['floor: multi-row INSERT … ON CONFLICT, 500/batch', insertMs / 1000, insertItemsPerSec, '', '', ''],
      ['floor: rss-parser parseString alone', rssOnly.ms / 1000, parseItemsPerSec, perSec(FEEDS, rssOnly.ms), '', ''],
      [
        'our parse stage (parseFeed: safe rewrite + rss-parser)',
        parsedOnly.ms / 1000,
        perSec(totalItems, parsedOnly.ms),
        perSec(FEEDS, parsedOnly.ms),
        `${(rssOnly.ms / parsedOnly.ms).toFixed(2)} of rss-parser`,
        '≥ 0.80',
      ],
      [
        'our normalise stage (text, URLs, dates, sanitising)',
        normalized.ms / 1000,
        perSec(totalItems, normalized.ms),
        perSec(FEEDS, normalized.ms),
        '',
        '',
      ],
      [
        `304 pass (${nm}/${FEEDS} not modified; faster of two)`,
        notModified.ms / 1000,
        '',
        perSec(FEEDS, notModified.ms),
        '',
        '≥ 2,000 feeds/s',
      ],
      [
        `unchanged 200 pass (${skipped}/${FEEDS} skipped)`,
        unchanged.ms / 1000,
        '',
        perSec(FEEDS, unchanged.ms),
        '',
        'no row written',
      ],
    ],
  );
  const noWrite = maxChangedBefore.rows[0]!.t?.getTime() === maxChangedAfter.rows[0]!.t?.getTime();
  console.log(
    `\nUnchanged bodies skipped before any item row was written: ${noWrite ? 'yes' : 'NO'} (latest item change: ${maxChangedAfter.rows[0]!.t?.toISOString()}).`,
  );
  console.log(
    `Peak memory (RSS, whole process incl. ${bench.kind.startsWith('PGlite') ? 'embedded database and ' : ''}server): ${memory.peakMb().toFixed(0)} MB`,
  );

  await bench.close();
  await floorDb.close();
  server.close();
  // Issue 15: the whole first pass, grouping included, as an operator runs it, beside a feed reader.
  await compareWithFeedReader(FEEDS, ROUNDS);
}

await main();
