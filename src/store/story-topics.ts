// Named queries of the story writer's topics (src/worker/stories/topics.ts): the topics known under a
// batch's slugs, the topics and aliases it created or renamed, each story's topic rows set to what it
// carries now, and each topic's story_count moved by the rows added and removed (issue 12: a recount of
// all topics cost 3.6 s per batch at a million items, and rewrote every row of the table).
import type { KnownTopic } from '../model.js';
import type { Queryable, Tx } from './db/db.js';

/** How a topic's story_count moves: -1 per story row deleted, +1 per row inserted. */
export interface TopicCountMove {
  topicId: number;
  by: number;
}

// The topics known under any of the slugs a batch's tags could be known by (see stories/topics/registry.ts).
export const SELECT_TOPICS_BY_ALIAS = `
SELECT a.slug AS alias, t.id, t.slug, t.name, t.kind FROM topic_aliases a JOIN topics t ON t.id = a.topic_id WHERE a.slug = ANY($1::text[])`;

/** The topics known under any of `slugs`, each with the alias it was found under. */
export async function readTopicsByAlias(
  tx: Tx,
  slugs: readonly string[],
): Promise<Array<KnownTopic & { alias: string }>> {
  return (await tx.query<KnownTopic & { alias: string }>(SELECT_TOPICS_BY_ALIAS, [slugs])).rows;
}

export const RESERVE_TOPIC_IDS =
  "SELECT nextval(pg_get_serial_sequence('topics', 'id'))::int AS id FROM generate_series(1, $1)";

/** Reserves `count` new topic ids. */
export async function reserveTopicIds(tx: Tx, count: number): Promise<number[]> {
  return (await tx.query<{ id: number }>(RESERVE_TOPIC_IDS, [count])).rows.map((r) => r.id);
}

export const INSERT_TOPICS = `
INSERT INTO topics (id, slug, name, kind) SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::text[])`;

/** Inserts new topics under their reserved ids. */
export async function insertTopics(tx: Tx, topics: readonly KnownTopic[]): Promise<void> {
  await tx.query(INSERT_TOPICS, [
    topics.map((t) => t.id),
    topics.map((t) => t.slug),
    topics.map((t) => t.name),
    topics.map((t) => t.kind),
  ]);
}

export const RENAME_TOPICS = `
UPDATE topics t SET name = u.name, kind = u.kind FROM unnest($1::int[], $2::text[], $3::text[]) AS u(id, name, kind) WHERE t.id = u.id`;

/** Sets the name and kind of existing topics. */
export async function renameTopics(tx: Tx, topics: readonly KnownTopic[]): Promise<void> {
  await tx.query(RENAME_TOPICS, [topics.map((t) => t.id), topics.map((t) => t.name), topics.map((t) => t.kind)]);
}

export const INSERT_TOPIC_ALIASES = `
INSERT INTO topic_aliases (slug, topic_id) SELECT * FROM unnest($1::text[], $2::int[]) ON CONFLICT DO NOTHING`;

/** Records slugs as aliases of topics (an alias already recorded stays as it was). */
export async function insertTopicAliases(
  tx: Tx,
  aliases: ReadonlyArray<{ slug: string; topicId: number }>,
): Promise<void> {
  await tx.query(INSERT_TOPIC_ALIASES, [aliases.map((a) => a.slug), aliases.map((a) => a.topicId)]);
}

// A batch's stories' topic rows set to what the stories carry now ($1–$3; $4: every story whose topics
// were read), writing only what changed: rows no longer carried are deleted, new ones inserted, a
// weight that moved updated; a row that stays as it was is not touched (issue 12: rewriting every
// touched story's rows was the batch's largest write after the items, and bloated the table).
// Returns how each topic's story_count moves: -1 per row deleted, +1 per row inserted.
export const SYNC_STORY_TOPICS = `
WITH now_carried AS (SELECT * FROM unnest($1::bigint[], $2::int[], $3::real[]) AS n(story_id, topic_id, weight)),
gone AS (
  DELETE FROM story_topics st WHERE st.story_id = ANY($4::bigint[])
    AND NOT EXISTS (SELECT 1 FROM now_carried n WHERE n.story_id = st.story_id AND n.topic_id = st.topic_id)
  RETURNING st.topic_id
),
put AS (
  INSERT INTO story_topics (story_id, topic_id, weight) SELECT * FROM now_carried
  ON CONFLICT (story_id, topic_id) DO UPDATE SET weight = excluded.weight WHERE story_topics.weight IS DISTINCT FROM excluded.weight
  RETURNING topic_id, xmax = 0 AS inserted
)
SELECT topic_id, -1 AS by FROM gone UNION ALL SELECT topic_id, 1 AS by FROM put WHERE inserted`;

/** A story's topic row. */
export interface StoryTopicRow {
  storyId: number;
  topicId: number;
  weight: number;
}

/** Sets the topic rows of `storyIds` to `rows` in one statement; returns how the topics' counts move. */
export async function syncStoryTopics(
  tx: Tx,
  storyIds: readonly number[],
  rows: readonly StoryTopicRow[],
): Promise<TopicCountMove[]> {
  const moved = await tx.query<{ topic_id: number; by: number }>(SYNC_STORY_TOPICS, [
    rows.map((r) => r.storyId),
    rows.map((r) => r.topicId),
    rows.map((r) => r.weight),
    storyIds,
  ]);
  return moved.rows.map((r) => ({ topicId: r.topic_id, by: r.by }));
}

/** A topic's story_count: the live (unmerged) stories carrying it. Kept by MOVE_TOPIC_COUNTS; this recounts all. */
export const REFRESH_TOPIC_COUNTS = `
UPDATE topics t SET story_count = (
  SELECT count(*) FROM story_topics st JOIN stories s ON s.id = st.story_id AND s.merged_into IS NULL WHERE st.topic_id = t.id
)`;

/** Recounts every topic's story_count from the rows (the batches move it instead). */
export async function recountTopics(db: Queryable): Promise<void> {
  await db.query(REFRESH_TOPIC_COUNTS);
}

export const MOVE_TOPIC_COUNTS = `
UPDATE topics t SET story_count = greatest(0, t.story_count + u.by) FROM unnest($1::int[], $2::int[]) AS u(id, by) WHERE t.id = u.id`;

/** Moves story_count of the topics by the given amounts (topic id → by), in one statement; zero moves are skipped. */
export async function moveTopicCounts(tx: Tx, changes: ReadonlyMap<number, number>): Promise<void> {
  const moved = [...changes].filter(([, by]) => by !== 0).sort((a, b) => a[0] - b[0]);
  if (moved.length === 0) return;
  await tx.query(MOVE_TOPIC_COUNTS, [moved.map(([id]) => id), moved.map(([, by]) => by)]);
}

// Topics no story carries any more; the maintained count finds the candidates without a scan of story_topics.
export const PRUNE_TOPICS =
  'DELETE FROM topics t WHERE t.story_count = 0 AND NOT EXISTS (SELECT 1 FROM story_topics st WHERE st.topic_id = t.id)';

/** Deletes the topics no story carries. */
export async function deleteOrphanTopics(tx: Tx): Promise<void> {
  await tx.query(PRUNE_TOPICS);
}
