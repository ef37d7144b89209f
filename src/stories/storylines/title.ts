// A storyline's title names the situation: the topics most of its stories share ("Pope Leo XIV · Papal
// conclave"), not one event's headline. A storyline of one story, or of stories sharing no topic, is
// named by its largest story's headline.
import { TOPIC_PREFIX, type StoryProfile } from './profile.js';

const MAX_TOPICS = 3;
// A topic names the storyline when at least this share of its stories carry it.
const SHARED = 0.3;

/** The title of a storyline made of these stories' profiles. */
export function storylineTitle(stories: readonly StoryProfile[]): string {
  if (stories.length === 0) return '';
  const largest = [...stories].sort((a, b) => b.items - a.items || a.storyKey - b.storyKey)[0]!;
  if (stories.length === 1) return largest.headline;
  const tally = new Map<string, { stories: number; weight: number; name: string }>();
  for (const p of stories) {
    p.keys.forEach((k, i) => {
      if (!k.startsWith(TOPIC_PREFIX)) return;
      const t = tally.get(k) ?? { stories: 0, weight: 0, name: p.topicNames.get(k) ?? k.slice(TOPIC_PREFIX.length) };
      t.stories++;
      t.weight += p.weights[i]! * p.items;
      tally.set(k, t);
    });
  }
  const need = Math.max(2, Math.ceil(SHARED * stories.length));
  const shared = [...tally.entries()].filter(([, t]) => t.stories >= need).sort((a, b) => b[1].stories - a[1].stories || b[1].weight - a[1].weight || a[0].localeCompare(b[0]));
  return shared.length ? shared.slice(0, MAX_TOPICS).map(([, t]) => t.name).join(' · ') : largest.headline;
}
