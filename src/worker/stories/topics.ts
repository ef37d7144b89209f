// The story writer's topics: each story's tags resolved to the one topic of their thing (see
// stories/topics/registry.ts), written set-based per batch, and each topic's story_count moved by
// the rows the batch added and removed instead of recounted (see store/story-topics.ts).
import type { KnownTopic } from '../../model.js';
import type { Tx } from '../../store/db/db.js';
import {
  insertTopicAliases,
  insertTopics,
  readTopicsByAlias,
  renameTopics,
  reserveTopicIds,
  syncStoryTopics,
  type StoryTopicRow,
  type TopicCountMove,
} from '../../store/story-topics.js';
import type { StoryAssigner } from '../../stories/group/assign.js';
import { candidateSlugs, resolveTopics } from '../../stories/topics/registry.js';
import { storyTopics } from '../../stories/topics/story-topics.js';

/** How much each topic's story_count moves; written once per batch (moveTopicCounts). */
export type TopicCountChanges = Map<number, number>;

/** Adds the moves to `changes`. */
export function addTopicChanges(changes: TopicCountChanges, moves: readonly TopicCountMove[]): void {
  for (const m of moves) changes.set(m.topicId, (changes.get(m.topicId) ?? 0) + m.by);
}

async function knownTopics(tx: Tx, slugs: string[]): Promise<Map<string, KnownTopic>> {
  const known = new Map<string, KnownTopic>();
  const byId = new Map<number, KnownTopic>();
  for (const r of await readTopicsByAlias(tx, slugs)) {
    const topic = byId.get(r.id) ?? { id: r.id, slug: r.slug, name: r.name, kind: r.kind };
    byId.set(r.id, topic);
    known.set(r.alias, topic);
  }
  return known;
}

/** Tags the given (live) stories with topics, setting their rows to them; the rows deleted and inserted go into `changes`. */
export async function writeTopics(
  tx: Tx,
  index: StoryAssigner,
  storyIds: number[],
  changes: TopicCountChanges,
): Promise<void> {
  const tagged = storyIds.flatMap((id) => {
    const story = index.story(id);
    return story ? storyTopics(story).map((tag) => ({ storyId: id, tag })) : [];
  });
  if (tagged.length === 0) return addTopicChanges(changes, await syncStoryTopics(tx, storyIds, []));
  const known = await knownTopics(tx, [...new Set(tagged.flatMap((t) => candidateSlugs(t.tag)))]);
  // New topics get placeholder ids, replaced by reserved ones once it is known how many there are.
  let placeholder = 0;
  const { topics, changes: registry } = resolveTopics(
    tagged.map((t) => t.tag),
    known,
    () => --placeholder,
  );
  if (registry.created.length) {
    const ids = await reserveTopicIds(tx, registry.created.length);
    registry.created.forEach((t, i) => (t.id = ids[i]!));
    await insertTopics(tx, registry.created);
  }
  if (registry.renamed.length) await renameTopics(tx, registry.renamed);
  const aliases = registry.aliases.map((a) => ({ slug: a.slug, topicId: known.get(a.slug)!.id }));
  if (aliases.length) await insertTopicAliases(tx, aliases);
  // Two tags of one story may be one topic ("Trump", "Donald Trump" in different items): kept once, at the higher weight.
  const rows = new Map<string, StoryTopicRow>();
  tagged.forEach((t, i) => {
    const key = `${t.storyId}:${topics[i]!.id}`;
    const had = rows.get(key);
    if (!had || had.weight < t.tag.weight)
      rows.set(key, { storyId: t.storyId, topicId: topics[i]!.id, weight: t.tag.weight });
  });
  addTopicChanges(changes, await syncStoryTopics(tx, storyIds, [...rows.values()]));
}
