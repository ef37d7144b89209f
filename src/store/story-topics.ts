// The story writer's topics: each story's tags resolved to the one topic of their thing (see
// stories/topics/registry.ts), written set-based per batch, and each topic's story_count moved by
// the rows the batch added and removed instead of recounted for every topic (issue 12: a recount of
// all topics cost 3.6 s per batch at a million items, and rewrote every row of the table).
import { candidateSlugs, resolveTopics, type KnownTopic } from '../stories/topics/registry.js';
import { storyTopics } from '../stories/topics/story-topics.js';
import type { StoryIndex } from '../stories/story-index.js';
import type { Tx } from './db/db.js';
import * as Q from './story-queries.js';

/** How much each topic's story_count moves; written once per batch by applyTopicCounts. */
export type TopicCountChanges = Map<number, number>;

export function addTopicChanges(changes: TopicCountChanges, topicIds: readonly number[], by: number): void {
  for (const id of topicIds) changes.set(id, (changes.get(id) ?? 0) + by);
}

/** Moves story_count of the topics the batch touched, in one statement. */
export async function applyTopicCounts(tx: Tx, changes: TopicCountChanges): Promise<void> {
  const moved = [...changes].filter(([, by]) => by !== 0).sort((a, b) => a[0] - b[0]);
  if (moved.length === 0) return;
  await tx.query(Q.MOVE_TOPIC_COUNTS, [moved.map(([id]) => id), moved.map(([, by]) => by)]);
}

async function knownTopics(tx: Tx, slugs: string[]): Promise<Map<string, KnownTopic>> {
  const known = new Map<string, KnownTopic>();
  const byId = new Map<number, KnownTopic>();
  for (const r of (await tx.query<KnownTopic & { alias: string }>(Q.SELECT_TOPICS_BY_ALIAS, [slugs])).rows) {
    const topic = byId.get(r.id) ?? { id: r.id, slug: r.slug, name: r.name, kind: r.kind };
    byId.set(r.id, topic);
    known.set(r.alias, topic);
  }
  return known;
}

/** Tags the given (live) stories with topics, setting their rows to them; the rows deleted and inserted go into `changes`. */
export async function writeTopics(
  tx: Tx,
  index: StoryIndex,
  storyIds: number[],
  changes: TopicCountChanges,
): Promise<void> {
  const tagged = storyIds.flatMap((id) => {
    const story = index.story(id);
    return story ? storyTopics(story).map((tag) => ({ storyId: id, tag })) : [];
  });
  if (tagged.length === 0) return syncStoryTopics(tx, storyIds, [], changes);
  const known = await knownTopics(tx, [...new Set(tagged.flatMap((t) => candidateSlugs(t.tag)))]);
  // New topics get placeholder ids, replaced by reserved ones once it is known how many there are.
  let placeholder = 0;
  const { topics, changes: registry } = resolveTopics(
    tagged.map((t) => t.tag),
    known,
    () => --placeholder,
  );
  if (registry.created.length) {
    const ids = (await tx.query<{ id: number }>(Q.RESERVE_TOPIC_IDS, [registry.created.length])).rows.map((r) => r.id);
    registry.created.forEach((t, i) => (t.id = ids[i]!));
    await tx.query(Q.INSERT_TOPICS, [
      registry.created.map((t) => t.id),
      registry.created.map((t) => t.slug),
      registry.created.map((t) => t.name),
      registry.created.map((t) => t.kind),
    ]);
  }
  if (registry.renamed.length)
    await tx.query(Q.RENAME_TOPICS, [
      registry.renamed.map((t) => t.id),
      registry.renamed.map((t) => t.name),
      registry.renamed.map((t) => t.kind),
    ]);
  const aliases = registry.aliases.map((a) => ({ slug: a.slug, topicId: known.get(a.slug)!.id }));
  if (aliases.length)
    await tx.query(Q.INSERT_TOPIC_ALIASES, [aliases.map((a) => a.slug), aliases.map((a) => a.topicId)]);
  // Two tags of one story may be one topic ("Trump", "Donald Trump" in different items): kept once, at the higher weight.
  const rows = new Map<string, { storyId: number; topicId: number; weight: number }>();
  tagged.forEach((t, i) => {
    const key = `${t.storyId}:${topics[i]!.id}`;
    const had = rows.get(key);
    if (!had || had.weight < t.tag.weight)
      rows.set(key, { storyId: t.storyId, topicId: topics[i]!.id, weight: t.tag.weight });
  });
  await syncStoryTopics(tx, storyIds, [...rows.values()], changes);
}

/** Sets the stories' topic rows to `rows` in one statement; the rows it deleted and inserted go into `changes`. */
async function syncStoryTopics(
  tx: Tx,
  storyIds: number[],
  rows: Array<{ storyId: number; topicId: number; weight: number }>,
  changes: TopicCountChanges,
): Promise<void> {
  const moved = await tx.query<{ topic_id: number; by: number }>(Q.SYNC_STORY_TOPICS, [
    rows.map((r) => r.storyId),
    rows.map((r) => r.topicId),
    rows.map((r) => r.weight),
    storyIds,
  ]);
  for (const r of moved.rows) addTopicChanges(changes, [r.topic_id], r.by);
}
