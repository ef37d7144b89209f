// A database the size of a busy installation, written with set-based SQL the way the service leaves
// it: outlets → feeds → items → stories (items.story_id, copies, duplicates) → assignments → topics →
// storylines.
// Shapes: 5,000 feeds over 90 days, real headlines and summaries (the demo week), story sizes with a
// long tail (most stories one item, a few hundreds), topics Zipf-distributed with the real ones first.
import fs from 'node:fs';
import path from 'node:path';
import { PACKAGE_ROOT } from '../src/config.js';
import { CopyDetector } from '../src/stories/text/copies.js';
import { extractFeatures } from '../src/stories/text/features.js';
import { DEFAULT_GROUPING_OPTIONS } from '../src/stories/group/options.js';
import { itemMentions } from '../src/stories/topics/mentions.js';
import type { Db, Tx } from '../src/store/db/db.js';
import { writeItemFeatures } from '../src/store/item-features.js';
import { readAssignedSince } from '../src/store/story-catch-up.js';
import { catchUpStories } from '../src/worker/stories/catch-up.js';

const DATASET = path.resolve(PACKAGE_ROOT, '..', 'shared', 'datasets', 'demo-week');

export interface ScaleShape {
  items: number;
  feeds: number;
  outlets: number;
  /** Feeds of the Google News outlet, whose items name their publisher (outlet_name). */
  googleFeeds: number;
  days: number;
  /** Topics per story item; the topics table ends near this fraction of the items. */
  topicsPerItem: number;
  now: Date;
}

export const defaultShape = (items: number, now = new Date()): ScaleShape => ({
  items,
  feeds: 5000,
  outlets: 1250,
  googleFeeds: 100,
  days: 90,
  topicsPerItem: 0.15,
  now,
});

interface TextRow {
  title: string;
  summary: string;
  outlet: string;
}

function readPool(): { texts: TextRow[]; topics: Array<{ name: string; kind: string }> } {
  const texts = fs
    .readFileSync(path.join(DATASET, 'items.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as TextRow);
  const topics = JSON.parse(fs.readFileSync(path.join(DATASET, 'topics.json'), 'utf8')) as Array<{
    name: string;
    kind: string;
  }>;
  return { texts, topics };
}

const slugOf = (s: string): string =>
  s
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

// Story sizes: P(size ≥ k) = k^-2.2 (78% single items, mean 1.5, the largest a few hundred), capped at
// 500; each story spans 25 minutes per item (up to a week) and lies wholly in the window. Ids follow
// the first item's time, as the worker creates them.
const PLAN_STORIES = `
CREATE TABLE scale_story AS
WITH sized AS (
  SELECT n, least(500, floor(power(1 - random(), -1 / 2.2)))::int AS size FROM generate_series(1, $1::int) n
), kept AS (
  SELECT n, size, sum(size) OVER (ORDER BY n) AS upto FROM sized
), timed AS (
  SELECT n, (size - greatest(0, upto - $1))::int AS size,
    least(interval '7 days', (size - 1) * interval '25 minutes' * (0.5 + random())) AS span
  FROM kept WHERE upto - size < $1
), placed AS (
  SELECT n, size, span, $2::timestamptz - $3::int * interval '1 day' + random() * ($3::int * interval '1 day' - span) AS start_at FROM timed
)
SELECT row_number() OVER (ORDER BY start_at, n) AS id, size, span, start_at FROM placed`;

// Each item from a random feed (a few prolific feeds, a long tail), spread over its story's span; ids
// in publication order. About 2% of later items are another feed's copy of the first article's URL
// (duplicate_of) and 5% are wire copies of it (copy_of).
const PLAN_ITEMS = `
CREATE TABLE scale_item AS
WITH drawn AS (
  SELECT s.id AS story_id, k, s.size,
    1 + ((floor(($1::int - 1) * power(random(), 1.4))::int * 7919) % $1::int) AS feed_id,
    s.start_at + CASE WHEN s.size > 1 THEN s.span * (k - 1) / (s.size - 1) ELSE interval '0' END AS published_at
  FROM scale_story s, generate_series(1, s.size) k
), numbered AS (
  SELECT *, row_number() OVER (ORDER BY published_at, story_id, k) AS id,
    'https://feed' || feed_id || '.example/news/' || story_id || '-' || k AS url
  FROM drawn
)
SELECT n.*, first_value(id) OVER story AS first_id, first_value(url) OVER story AS first_url,
  (k > 1 AND (story_id * 31 + k) % 50 = 0) AS is_duplicate, (k > 1 AND (story_id * 31 + k) % 20 = 1) AS is_copy
FROM numbered n WINDOW story AS (PARTITION BY story_id ORDER BY k)`;

const SEED_OUTLETS = `
INSERT INTO outlets (id, name, site, region)
SELECT g, CASE WHEN g = 1 THEN 'Google News' ELSE 'Outlet ' || g END, 'https://outlet' || g || '.example/',
  (ARRAY['world', 'us', 'uk', 'europe', 'asia', NULL])[1 + g % 6]
FROM generate_series(1, $1::int) g`;

const SEED_FEEDS = `
INSERT INTO feeds (id, url, outlet_id, section, title, state, etag, next_fetch_at, last_fetched_at, last_success_at, last_status,
  error_count, error_kind, error_message, failing_since)
SELECT g, 'https://feed' || g || '.example/rss.xml', CASE WHEN g <= $2 THEN 1 ELSE 2 + (g * 7919) % ($3::int - 1) END,
  (ARRAY['world', 'politics', 'business', 'science', NULL])[1 + g % 5], 'Feed ' || g,
  CASE WHEN g % 200 = 0 THEN 'gone' ELSE 'active' END, '"e' || g || '"', $4::timestamptz + (g % 30) * interval '1 minute',
  $4::timestamptz - (g % 30) * interval '1 minute', $4::timestamptz - (g % 30) * interval '1 minute', CASE WHEN g % 50 = 0 THEN 503 ELSE 200 END,
  CASE WHEN g % 50 = 0 THEN 3 ELSE 0 END, CASE WHEN g % 50 = 0 THEN 'http' END,
  CASE WHEN g % 50 = 0 THEN 'fetch: HTTP 503 Service Unavailable' END, CASE WHEN g % 50 = 0 THEN $4::timestamptz - interval '2 hours' END
FROM generate_series(1, $1::int) g`;

const SEED_STORIES = `
INSERT INTO stories (id, headline, summary, first_seen_at, last_seen_at, item_count, outlet_count, updated_at, created_at, storyline_id)
SELECT c.story_id, t.title, t.summary, c.first_at, c.last_at, c.items, c.outlets, c.last_at + interval '5 minutes', c.first_at + interval '5 minutes',
  (SELECT line FROM scale_line WHERE id = c.story_id)
FROM (
  SELECT i.story_id, count(*)::int AS items, min(i.published_at) AS first_at, max(i.published_at) AS last_at,
    count(DISTINCT CASE WHEN f.outlet_id = 1 THEN 'p' || (i.story_id + i.k) % $2::int ELSE f.outlet_id::text END) FILTER (WHERE NOT i.is_copy)::int AS outlets
  FROM scale_item i JOIN feeds f ON f.id = i.feed_id GROUP BY i.story_id
) c JOIN scale_text t ON t.n = 1 + (c.story_id * 7 + 1) % $1::int`;

const SEED_ITEMS = `
INSERT INTO items (id, feed_id, item_key, url, canonical_url, duplicate_of, copy_of, title, summary, content_html, author, outlet_name,
  published_at, content_hash, first_seen_at, changed_at, story_id)
SELECT i.id, i.feed_id, 's' || i.story_id || '-' || i.k, i.url, CASE WHEN i.is_duplicate THEN i.first_url ELSE i.url END,
  CASE WHEN i.is_duplicate THEN i.first_id END, CASE WHEN i.is_copy THEN i.first_id END,
  t.title, t.summary, '<p>' || t.summary || '</p><p>' || t.title || '. ' || t.summary || '</p>',
  CASE WHEN i.id % 3 = 0 THEN 'Reporter ' || i.feed_id % 97 END,
  CASE WHEN f.outlet_id = 1 THEN p.outlet END,
  i.published_at, md5(i.url), i.published_at + interval '4 minutes', i.published_at + interval '4 minutes', i.story_id
FROM scale_item i JOIN feeds f ON f.id = i.feed_id
  JOIN scale_text t ON t.n = 1 + (i.story_id * 7 + i.k) % $1::int
  JOIN scale_publisher p ON p.n = (i.story_id + i.k) % $2::int
ORDER BY i.id`;

// Stories and items point at each other: the representative item is set once both exist.
const SEED_REPRESENTATIVES = `
UPDATE stories s SET representative_item_id = i.first_id FROM scale_item i WHERE i.story_id = s.id AND i.k = 1`;

// Consolidation leaves about one story in 200 merged into another (empty, pointing at it).
const SEED_MERGED = `
WITH merged AS (
  INSERT INTO stories (id, headline, first_seen_at, last_seen_at, merged_into, updated_at)
  SELECT (SELECT max(id) FROM stories) + row_number() OVER (), s.headline, s.first_seen_at, s.last_seen_at, s.id, s.updated_at
  FROM stories s WHERE s.id % 200 = 7
  RETURNING id, merged_into
)
INSERT INTO story_merges (from_story, into_story, score, shared_terms) SELECT id, merged_into, 0.4, '{talks}' FROM merged ORDER BY id`;

const SEED_ASSIGNMENTS = `
INSERT INTO story_assignments (item_id, story_id, reason, score, shared_terms, assigned_at)
SELECT i.id, i.story_id,
  CASE WHEN i.k = 1 THEN 'new-story' WHEN i.is_duplicate THEN 'same-url' WHEN i.is_copy THEN 'copy' ELSE 'similar' END,
  CASE WHEN i.k = 1 THEN 0 ELSE 0.3 + (i.id % 60) / 100.0 END,
  CASE WHEN i.k = 1 THEN '{}'::text[] ELSE ARRAY['talks', 'minister'] END, i.published_at + interval '5 minutes'
FROM scale_item i ORDER BY i.id`;

// The real topics first (by how many stories they had that week), then a long tail.
const SEED_TOPICS = `
INSERT INTO topics (id, slug, name, kind)
SELECT g, coalesce(r.slug, 'topic-' || g), coalesce(r.name, 'Topic ' || g), coalesce(r.kind, (ARRAY['person', 'place', 'organization', 'theme'])[1 + g % 4])
FROM generate_series(1, $1::int) g LEFT JOIN unnest($2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS r(slug, name, kind, n) ON r.n = g`;
// The writer's item time, as a worker that assigned these items leaves it: a fresh worker catches up on
// the active window from it (without it, on everything).
const SEED_CLOCK = `
INSERT INTO story_clock (id, clock, next_consolidation, consolidated_seq)
SELECT true, max(published_at), max(published_at) + interval '1 hour', (SELECT coalesce(max(seq), 0) FROM story_assignments) FROM items`;

// Each topic is known under its own slug, as the writer registers it (it looks topics up by alias).
const SEED_TOPIC_ALIASES =
  'INSERT INTO topic_aliases (slug, topic_id) SELECT slug, id FROM topics ON CONFLICT DO NOTHING';

// One to four topics per live story (more for larger ones); topic ranks drawn as floor(T^u), so the
// first topic is on about 5% of stories and the tail on a handful each.
const SEED_STORY_TOPICS = `
INSERT INTO story_topics (story_id, topic_id, weight)
SELECT s.id, floor(power($1::float8, random()))::int, round((0.2 + random() * 0.8)::numeric, 3)
FROM stories s, generate_series(1, CASE WHEN s.item_count > 1 THEN 3 ELSE 1 END + (s.id % 2)::int) k
WHERE s.merged_into IS NULL
ON CONFLICT DO NOTHING`;

const SEED_TOPIC_COUNTS = `
UPDATE topics t SET story_count = c.n FROM (SELECT topic_id, count(*)::int AS n FROM story_topics GROUP BY topic_id) c WHERE c.topic_id = t.id`;

// A quarter of the stories fall in storylines of about ten (stories near in id, so near in time); the
// rest are storylines of one, named by the headline, as the story writer names them. The rows exist
// before the stories that name them, and are counted once the stories are written: the stories table is
// written once, in its own order, as the service leaves it (rewriting it would change its plans).
const PLAN_STORYLINES = `
CREATE TABLE scale_line AS
SELECT id, min(id) OVER (PARTITION BY k) AS line FROM (SELECT id, CASE WHEN id % 4 = 0 THEN -(id / 40) ELSE id END AS k FROM scale_story) x`;
const KEY_STORYLINES = 'ALTER TABLE scale_line ADD PRIMARY KEY (id)';
const SEED_STORYLINES =
  'INSERT INTO storylines (id, first_seen_at, last_seen_at) SELECT DISTINCT line, $1::timestamptz, $1::timestamptz FROM scale_line';

const COUNT_STORYLINES = `
UPDATE storylines l SET title = CASE WHEN c.stories = 1 THEN c.headline ELSE 'Storyline ' || l.id END, first_seen_at = c.first_at,
  last_seen_at = c.last_at, story_count = c.stories, item_count = c.items, outlet_count = c.outlets, weight = c.weight, updated_at = c.updated_at
FROM (
  SELECT storyline_id, count(*)::int AS stories, min(headline) AS headline, min(first_seen_at) AS first_at, max(last_seen_at) AS last_at,
    sum(item_count)::int AS items, max(outlet_count) AS outlets, sum(weight) AS weight, max(updated_at) AS updated_at
  FROM stories WHERE merged_into IS NULL GROUP BY storyline_id
) c WHERE c.storyline_id = l.id`;

// One storyline in 20 of several stories absorbed another, whose id one of its stories still names.
const SEED_MERGED_STORYLINES = `
WITH merged AS (
  INSERT INTO storylines (id, title, first_seen_at, last_seen_at, merged_into, updated_at)
  SELECT (SELECT max(id) FROM stories) + row_number() OVER (ORDER BY l.id), l.title, l.first_seen_at, l.last_seen_at, l.id, l.updated_at
  FROM storylines l WHERE l.story_count > 1 AND l.id % 20 = 0
  RETURNING id, merged_into
),
-- Each merged storyline's newest story, from one pass over stories (a subquery per story and storyline
-- pair ran for over 40 minutes at a million items).
target AS (
  SELECT x.storyline_id, max(x.id) AS story_id FROM stories x
  WHERE x.storyline_id IN (SELECT merged_into FROM merged) GROUP BY x.storyline_id
)
UPDATE stories s SET storyline_id = m.id FROM merged m JOIN target t ON t.storyline_id = m.merged_into
WHERE s.id = t.story_id`;
// Planned with the counts of what was just loaded: without them a nested scan of stories looked cheap.
const ANALYZE_STORYLINES = 'ANALYZE stories, storylines';

const ANALYZE_SEEDED = 'ANALYZE topics, story_topics, topic_aliases, stories, items';

const FINISH = [
  'DELETE FROM topics t WHERE NOT EXISTS (SELECT 1 FROM story_topics st WHERE st.topic_id = t.id)',
  "SELECT setval(pg_get_serial_sequence('outlets', 'id'), (SELECT max(id) FROM outlets))",
  "SELECT setval(pg_get_serial_sequence('feeds', 'id'), (SELECT max(id) FROM feeds))",
  "SELECT setval(pg_get_serial_sequence('items', 'id'), (SELECT max(id) FROM items))",
  "SELECT setval(pg_get_serial_sequence('stories', 'id'), (SELECT max(id) FROM stories))",
  "SELECT setval(pg_get_serial_sequence('topics', 'id'), (SELECT max(id) FROM topics))",
  'DROP TABLE scale_line',
  'DROP TABLE scale_item',
  'DROP TABLE scale_story',
  'DROP TABLE scale_text',
  'DROP TABLE scale_publisher',
];

/** The text pool and the publishers Google News items name; returns how many publishers. */
async function loadText(tx: Tx, texts: TextRow[]): Promise<number> {
  await tx.query(
    'CREATE TABLE scale_text AS SELECT n::int, title, summary FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS u(title, summary, n)',
    [texts.map((t) => t.title), texts.map((t) => t.summary)],
  );
  const publishers = [...new Set(texts.map((t) => t.outlet))].slice(0, 40);
  await tx.query(
    'CREATE TABLE scale_publisher AS SELECT (n - 1)::int AS n, outlet FROM unnest($1::text[]) WITH ORDINALITY AS u(outlet, n)',
    [publishers],
  );
  return publishers.length;
}

export interface SeedReport {
  items: number;
  stories: number;
  topics: number;
  storyTopics: number;
  seconds: number;
}

/** Seeds an empty, migrated database with `shape`; statistics are gathered at the end. */
export async function seedScale(
  db: Db,
  shape: ScaleShape,
  onStep: (step: string) => void = () => undefined,
): Promise<SeedReport> {
  const started = Date.now();
  const { texts, topics } = readPool();
  const topicCount = Math.max(200, Math.round(shape.items * shape.topicsPerItem));
  const step = async (tx: Tx, name: string, sql: string, params: unknown[] = []): Promise<void> => {
    onStep(name);
    await tx.query(sql, params);
  };
  await db.transaction(async (tx) => {
    await tx.query('SELECT setseed(0.42)');
    await step(tx, 'stories planned', PLAN_STORIES, [shape.items, shape.now, shape.days]);
    await step(tx, 'items planned', PLAN_ITEMS, [shape.feeds]);
    await step(tx, 'outlets', SEED_OUTLETS, [shape.outlets]);
    await step(tx, 'feeds', SEED_FEEDS, [shape.feeds, shape.googleFeeds, shape.outlets, shape.now]);
    const publishers = await loadText(tx, texts);
    await step(tx, 'storylines planned', PLAN_STORYLINES);
    await tx.query(KEY_STORYLINES);
    await step(tx, 'storylines', SEED_STORYLINES, [shape.now]);
    await step(tx, 'stories', SEED_STORIES, [texts.length, publishers]);
    await step(tx, 'items', SEED_ITEMS, [texts.length, publishers]);
    await step(tx, 'representative items', SEED_REPRESENTATIVES);
    await step(tx, 'merged stories', SEED_MERGED);
    await step(tx, 'assignments', SEED_ASSIGNMENTS);
    await step(tx, 'topics', SEED_TOPICS, [
      topicCount,
      topics.map((t) => slugOf(t.name)),
      topics.map((t) => t.name),
      topics.map((t) => t.kind),
    ]);
    await step(tx, 'topic aliases', SEED_TOPIC_ALIASES, []);
    await step(tx, 'story topics', SEED_STORY_TOPICS, [topicCount]);
    await step(tx, 'topic counts', SEED_TOPIC_COUNTS);
    await step(tx, 'storyline counts', COUNT_STORYLINES);
    await tx.query(ANALYZE_STORYLINES);
    await step(tx, 'merged storylines', SEED_MERGED_STORYLINES);
    await step(tx, 'story clock', SEED_CLOCK);
    // Statistics for the tables just filled: without them the deletes below were planned blind and one
    // run spent over eight minutes deleting the unused topics (at 100,000 items; 2 minutes for all with them).
    await tx.query(ANALYZE_SEEDED);
    for (const sql of FINISH) await tx.query(sql);
  });
  onStep('item features');
  await seedItemFeatures(db);
  // A first catch-up stores the profile of every active story it links (what the writer stores as it links them).
  onStep('story profiles');
  await catchUpStories(db);
  onStep('analyze');
  const tables =
    'outlets, feeds, items, stories, story_assignments, story_topics, topics, story_merges, storylines, data_versions';
  await db.exec(db.kind === 'pg' ? `VACUUM ANALYZE ${tables}` : `ANALYZE ${tables}`);
  const counts = await db.query<{ items: number; stories: number; topics: number; story_topics: number }>(
    'SELECT (SELECT count(*) FROM items) AS items, (SELECT count(*) FROM stories) AS stories, (SELECT count(*) FROM topics) AS topics, (SELECT count(*) FROM story_topics) AS story_topics',
  );
  const c = counts.rows[0]!;
  return {
    items: c.items,
    stories: c.stories,
    topics: c.topics,
    storyTopics: c.story_topics,
    seconds: (Date.now() - started) / 1000,
  };
}

// New items as a worker pass leaves them before grouping: no story yet, published in the last hour,
// from random feeds, with the pool's real headlines.
const SEED_PENDING = `
INSERT INTO items (feed_id, item_key, url, canonical_url, title, summary, content_html, published_at, content_hash, first_seen_at, changed_at)
SELECT f.id, 'pending-' || $3::text || '-' || g, u.url, u.url, t.title, t.summary, '<p>' || t.summary || '</p>',
  $2::timestamptz - (g % 3600) * interval '1 second', md5(u.url), $2::timestamptz, $2::timestamptz
FROM generate_series(1, $1::int) g
  CROSS JOIN LATERAL (SELECT 'https://pending.example/' || $3::text || '/' || g AS url) u
  JOIN feeds f ON f.id = 1 + (g * 7919) % (SELECT max(id) FROM feeds)
  JOIN scale_text t ON t.n = 1 + (g * 13) % (SELECT count(*) FROM scale_text)`;

/** Inserts `count` items without a story (what the story writer assigns next), tagged `tag`. */
export async function seedPendingItems(db: Db, count: number, now: Date, tag: string): Promise<void> {
  const { texts } = readPool();
  await db.transaction(async (tx) => {
    await loadText(tx, texts);
    await tx.query(SEED_PENDING, [count, now, tag]);
    await tx.query('DROP TABLE scale_text');
    await tx.query('DROP TABLE scale_publisher');
  });
}

/**
 * What the story writer stores of each item it assigns (src/worker/stories/item-features.ts), for the active
 * window's items: the rows a fresh worker restores its index from. Copies' mentions are left unread,
 * as topics never read them.
 */
export async function seedItemFeatures(db: Db): Promise<number> {
  const clock = (await db.query<{ clock: Date }>('SELECT clock FROM story_clock')).rows[0]?.clock;
  if (!clock) return 0;
  const windowStart = new Date(clock.getTime() - DEFAULT_GROUPING_OPTIONS.quietAfterMs);
  const rows = await readAssignedSince(db, 0, windowStart);
  const copies = new CopyDetector({
    minWords: DEFAULT_GROUPING_OPTIONS.copyMinWords,
    minSimilarity: DEFAULT_GROUPING_OPTIONS.copyMinSimilarity,
  });
  for (let i = 0; i < rows.length; i += 2000) {
    const features = rows.slice(i, i + 2000).map((r) => {
      const f = extractFeatures(
        { title: r.title, summary: r.summary, url: r.url, outlet: r.outlet },
        DEFAULT_GROUPING_OPTIONS.features,
      );
      const mentions =
        r.copyOf === null ? itemMentions(r.title, f.titleNames, f.summaryNames, r.summary ?? '', f.titleCasing) : null;
      // What copy detection kept of it (StoryAssigner.storedFeatures): nothing for a copy.
      const print = r.copyOf === null ? copies.printOf(`${r.title}\n${r.summary ?? ''}`) : null;
      const copy = print && [print.exact, ...(print.signature ?? [])];
      return { itemId: r.id, published: new Date(r.published), features: { ...f, mentions, copy } };
    });
    await writeItemFeatures(db, features);
  }
  return rows.length;
}
