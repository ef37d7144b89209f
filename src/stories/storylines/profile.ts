// What a story brings to storyline linking: its topics (who and where it is about) and its most
// distinctive words (what it is about), as weighted keys. Which keys mark a situation rather than a beat
// is the linker's business (it down-weights keys by how many stories carry them).
import type { StoryAssigner } from '../group/assign.js';
import type { StoryState } from '../structures/story-state.js';
import { TopList } from '../structures/top-list.js';
import { storyTopics } from '../topics/story-topics.js';
import type { StorylineOptions } from './options.js';
import type { StoryProfile } from '../../model.js';

export type { StoryProfile } from '../../model.js';

export const TOPIC_PREFIX = 't:';
const TERM_PREFIX = 'w:';

/**
 * Reads a story's profile: its topic tags and its heaviest single words, each family of unit length.
 * Word pairs are left out: they tell one event from another ("black_smoke", "lunchtime_italian"), which
 * is the story grouping's work, and a situation's stories rarely repeat one; a single item's pairs,
 * never seen again, only dilute its similarity to every storyline. Words are ranked by weight times
 * the square root of the items' idf: a word many items use because a situation is heavily covered
 * ("pope", "conclave") keeps its place beside the rarer words of one item.
 */
export function storyProfile(
  index: StoryAssigner,
  story: StoryState,
  options: StorylineOptions,
  headline = story.members[0]?.title ?? '',
): StoryProfile {
  const keys: string[] = [];
  const weights: number[] = [];
  const topicNames = new Map<string, string>();
  const places = new Set<string>();
  const tags = storyTopics(story);
  const topicNorm = Math.sqrt(tags.reduce((s, t) => s + t.weight * t.weight, 0)) || 1;
  for (const tag of tags) {
    keys.push(TOPIC_PREFIX + tag.key);
    weights.push((options.topicWeight * tag.weight) / topicNorm);
    topicNames.set(TOPIC_PREFIX + tag.key, tag.name);
    if (tag.kind === 'place') places.add(TOPIC_PREFIX + tag.key);
  }
  const items = Math.max(1, story.members.filter((m) => !m.copyOf).length);
  const top = new TopList<number>(options.termCount);
  const { ids, values } = story.sums;
  for (let i = 0; i < story.sums.size; i++) {
    if (isSingleWord(index.vocab.name(ids[i]!)))
      top.offer(i, ids[i]!, (values[i]! / items) * index.vocab.exactIdf(ids[i]!) ** options.termIdfPower);
  }
  const termNorm = Math.sqrt(top.items.reduce((s, slot) => s + (values[slot]! / items) ** 2, 0)) || 1;
  for (const slot of top.items) {
    keys.push(TERM_PREFIX + index.vocab.name(ids[slot]!));
    weights.push(values[slot]! / items / termNorm);
  }
  return {
    storyKey: story.key,
    keys,
    weights,
    topicNames,
    places,
    firstSeen: story.firstSeen,
    lastSeen: story.lastSeen,
    items,
    headline,
  };
}

// Features join a word pair with "_" (see features.ts); a term whose text is gone occurred in one item only.
function isSingleWord(name: string): boolean {
  return name !== '' && !name.includes('_');
}
