// Topics and outlets as the server lists them, with live counts.
import type { Queryable } from './db.js';
import type { OutletView, TopicView } from './views.js';

// Counted live over stories that are not merged away: the topics table's own count may lag.
const TOPIC_COLUMNS = `t.slug, t.name, t.kind, count(s.id)::int AS stories, max(s.last_seen_at) AS last_seen_at`;
const TOPIC_FROM = `FROM topics t
  JOIN story_topics st ON st.topic_id = t.id
  JOIN stories s ON s.id = st.story_id AND s.merged_into IS NULL`;

const SELECT_TOPICS = `SELECT ${TOPIC_COLUMNS} ${TOPIC_FROM}
GROUP BY t.id
ORDER BY stories DESC, last_seen_at DESC, t.slug
LIMIT $1`;

const SELECT_TOPIC = `SELECT t.slug, t.name, t.kind, count(s.id)::int AS stories, max(s.last_seen_at) AS last_seen_at
FROM topics t
  LEFT JOIN story_topics st ON st.topic_id = t.id
  LEFT JOIN stories s ON s.id = st.story_id AND s.merged_into IS NULL
WHERE t.slug = $1 OR t.id = (SELECT topic_id FROM topic_aliases WHERE slug = $1)
GROUP BY t.id`;

interface TopicRow {
  slug: string;
  name: string;
  kind: string;
  stories: number;
  last_seen_at: Date | null;
}

const toTopic = (r: TopicRow): TopicView => ({ slug: r.slug, name: r.name, kind: r.kind, stories: r.stories, lastSeenAt: r.last_seen_at });

/** Topics that have live stories, the most covered first. */
export async function listTopics(q: Queryable, limit: number): Promise<TopicView[]> {
  return (await q.query<TopicRow>(SELECT_TOPICS, [limit])).rows.map(toTopic);
}

/** The topic a slug names: its own slug, or any form it was seen under (old slugs keep resolving). */
export async function findTopic(q: Queryable, slug: string): Promise<TopicView | null> {
  const row = (await q.query<TopicRow>(SELECT_TOPIC, [slug])).rows[0];
  return row ? toTopic(row) : null;
}

const SELECT_OUTLETS = `SELECT o.id, o.name, o.site, o.region,
  (SELECT count(*)::int FROM feeds f WHERE f.outlet_id = o.id) AS feeds,
  count(i.id)::int AS items, max(i.published_at) AS last_published_at
FROM outlets o
  LEFT JOIN feeds f ON f.outlet_id = o.id
  LEFT JOIN items i ON i.feed_id = f.id
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
export async function listOutlets(q: Queryable): Promise<OutletView[]> {
  const res = await q.query<OutletRow>(SELECT_OUTLETS);
  return res.rows.map((r) => ({ id: r.id, name: r.name, site: r.site, region: r.region, feeds: r.feeds, items: r.items, lastPublishedAt: r.last_published_at }));
}
