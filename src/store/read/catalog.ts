// Topics and outlets as the server lists them, with their counts.
import type { Outlet, Topic } from '../../model.js';
import type { Queryable } from '../db/db.js';

// The story count is the one the story writer maintains (live stories only). The last activity is
// that of the topic's newest story (story ids follow creation): one index probe per topic, however
// many stories the topic has, where the newest activity of all its stories would read them all.
const TOPIC_COLUMNS = `t.slug, t.name, t.kind, t.story_count AS stories,
  (SELECT s.last_seen_at FROM stories s WHERE s.id = (SELECT max(st.story_id) FROM story_topics st WHERE st.topic_id = t.id)) AS last_seen_at`;

// The most covered first, read from topics_story_count_idx.
const SELECT_TOPICS = `SELECT ${TOPIC_COLUMNS} FROM topics t WHERE t.story_count > 0 ORDER BY t.story_count DESC, t.slug LIMIT $1`;
// Any form the topic was seen under resolves to it (topic_aliases): old slugs keep working.
const SELECT_TOPIC = `SELECT ${TOPIC_COLUMNS} FROM topics t WHERE t.slug = $1 OR t.id = (SELECT topic_id FROM topic_aliases WHERE slug = $1)`;

interface TopicRow {
  slug: string;
  name: string;
  kind: string;
  stories: number;
  last_seen_at: Date | null;
}

const toTopic = (r: TopicRow): Topic => ({
  slug: r.slug,
  name: r.name,
  kind: r.kind,
  stories: r.stories,
  lastSeenAt: r.last_seen_at,
});

/** Topics that have live stories, the most covered first. */
export async function listTopics(q: Queryable, limit: number): Promise<Topic[]> {
  return (await q.query<TopicRow>(SELECT_TOPICS, [limit])).rows.map(toTopic);
}

/** The topic a slug names: its own slug, or any form it was seen under (old slugs keep resolving). */
export async function findTopic(q: Queryable, slug: string): Promise<Topic | null> {
  const row = (await q.query<TopicRow>(SELECT_TOPIC, [slug])).rows[0];
  return row ? toTopic(row) : null;
}

// Counts and times kept on the feeds rows (sql/006_flat_reads.sql): one pass over the feeds.
const SELECT_OUTLETS = `SELECT o.id, o.name, o.site, o.region, count(f.id)::int AS feeds,
  coalesce(sum(f.item_count), 0)::int AS items, max(f.last_published_at) AS last_published_at
FROM outlets o LEFT JOIN feeds f ON f.outlet_id = o.id
GROUP BY o.id
ORDER BY o.name`;

interface OutletRow {
  id: number;
  name: string;
  site: string | null;
  region: string | null;
  feeds: number;
  items: number;
  last_published_at: Date | null;
}

/** Every outlet with its feed and item counts, by name. */
export async function listOutlets(q: Queryable): Promise<Outlet[]> {
  const res = await q.query<OutletRow>(SELECT_OUTLETS);
  return res.rows.map((r) => ({
    id: r.id,
    name: r.name,
    site: r.site,
    region: r.region,
    feeds: r.feeds,
    items: r.items,
    lastPublishedAt: r.last_published_at,
  }));
}
