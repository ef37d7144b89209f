// What a story brings to storyline linking: its topics (who and where it is about) and its most
// distinctive terms (what it is about), as weighted keys. Which keys mark a situation rather than a beat
// is the linker's business (it down-weights keys by how many stories carry them).
import type { StoryIndex } from '../story-index.js';
import type { StoryState } from '../story-state.js';
import { TopList } from '../top-list.js';
import { storyTopics } from '../topics/story-topics.js';
import type { StorylineOptions } from './options.js';

/** A story as linking reads it: keys ("t:papal conclave", "w:black_smoke") with weights, and its times. */
export interface StoryProfile {
  storyKey: number;
  keys: string[];
  weights: number[];
  /** Display names of its topic keys, for storyline titles. */
  topicNames: Map<string, string>;
  firstSeen: number;
  lastSeen: number;
  /** Independent items (copies excluded), at least 1. */
  items: number;
  headline: string;
}

export const TOPIC_PREFIX = 't:';
const TERM_PREFIX = 'w:';

/** Reads a story's profile: its topic tags and its heaviest terms, each family of unit length. */
export function storyProfile(index: StoryIndex, story: StoryState, options: StorylineOptions, headline = story.members[0]?.title ?? ''): StoryProfile {
  const keys: string[] = [];
  const weights: number[] = [];
  const topicNames = new Map<string, string>();
  const tags = storyTopics(story);
  const topicNorm = Math.sqrt(tags.reduce((s, t) => s + t.weight * t.weight, 0)) || 1;
  for (const tag of tags) {
    keys.push(TOPIC_PREFIX + tag.key);
    weights.push((options.topicWeight * tag.weight) / topicNorm);
    topicNames.set(TOPIC_PREFIX + tag.key, tag.name);
  }
  const items = Math.max(1, story.members.filter((m) => !m.copyOf).length);
  const top = new TopList<number>(options.termCount);
  const { ids, values } = story.sums;
  for (let i = 0; i < story.sums.size; i++) top.offer(i, ids[i]!, (values[i]! / items) * index.vocab.idf(ids[i]!));
  const termNorm = Math.sqrt(top.items.reduce((s, slot) => s + (values[slot]! / items) ** 2, 0)) || 1;
  for (const slot of top.items) {
    const name = index.vocab.name(ids[slot]!);
    if (!name) continue;
    keys.push(TERM_PREFIX + name);
    weights.push(values[slot]! / items / termNorm);
  }
  return { storyKey: story.key, keys, weights, topicNames, firstSeen: story.firstSeen, lastSeen: story.lastSeen, items, headline };
}
