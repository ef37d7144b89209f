// A storyline's title names the situation: the topics most of its stories share ("Pope Leo XIV · Papal
// conclave"), not one event's headline; who and what first, where after ("Mark Carney · Canada"). A
// storyline of one story, or of stories sharing fewer than two topics, is named by its largest story's
// headline: one topic alone is a beat or a theme ("Senate", "Assault", "Pakistan"), not a situation.
import { TOPIC_PREFIX, type StoryProfile } from './profile.js';

const MAX_TOPICS = 3;
const MIN_TOPICS = 2;
// A topic names the storyline when at least this share of its stories carry it,
const SHARED_STORIES = 0.3;
// or, in a storyline of three stories or more, when the stories carrying it hold at least this share of
// its items (the election story of the conclave); of two stories, one's topic alone says nothing shared.
const SHARED_ITEMS = 0.5;

interface Tally {
  stories: number;
  items: number;
  name: string;
  isPlace: boolean;
}

/** The title of a storyline made of these stories' profiles. */
export function storylineTitle(stories: readonly StoryProfile[]): string {
  if (stories.length === 0) return '';
  const largest = [...stories].sort((a, b) => b.items - a.items || a.storyKey - b.storyKey)[0]!;
  if (stories.length === 1) return largest.headline;
  const items = stories.reduce((s, p) => s + p.items, 0);
  const need = Math.max(2, Math.ceil(SHARED_STORIES * stories.length));
  const shared = [...tallyTopics(stories)]
    .filter(([, t]) => t.stories >= need || (stories.length >= 3 && t.items >= SHARED_ITEMS * items))
    .sort(
      ([ka, a], [kb, b]) =>
        Number(a.isPlace) - Number(b.isPlace) || b.items - a.items || b.stories - a.stories || ka.localeCompare(kb),
    );
  return shared.length >= MIN_TOPICS
    ? shared
        .slice(0, MAX_TOPICS)
        .map(([, t]) => t.name)
        .join(' · ')
    : largest.headline;
}

// Per topic key: the stories carrying it and their items.
function tallyTopics(stories: readonly StoryProfile[]): Map<string, Tally> {
  const tally = new Map<string, Tally>();
  for (const p of stories) {
    for (const k of p.keys) {
      if (!k.startsWith(TOPIC_PREFIX)) continue;
      const t = tally.get(k) ?? {
        stories: 0,
        items: 0,
        name: p.topicNames.get(k) ?? k.slice(TOPIC_PREFIX.length),
        isPlace: p.places.has(k),
      };
      t.stories++;
      t.items += p.items;
      tally.set(k, t);
    }
  }
  return tally;
}
