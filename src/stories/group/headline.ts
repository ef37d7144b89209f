// Which item's title heads a story: the member closest to the story's centroid (the most representative
// of its coverage), a report rather than a question or an explainer ("Who is Pope Leo XIV?", "What to
// know about…"), which sum the event up without naming what happened.
import type { StoryAssigner } from './assign.js';
import { dotWithCentroid, type Member, type StoryState } from '../structures/story-state.js';

// Headlines that ask or explain: fine coverage, weak names for the event.
const EXPLAINER =
  /\?\s*$|^(?:who|what|why|how|when|where|is|are|can|will|should|does|explainer|analysis|opinion|watch|live|here'?s|here are|everything)\b/iu;
const EXPLAINER_WEIGHT = 0.7;

/** True when a title asks a question or announces an explainer. */
export function isExplainer(title: string): boolean {
  return EXPLAINER.test(title.trim());
}

/** The key of the member whose title best names the story. */
export function representativeMember(index: StoryAssigner, story: StoryState): string {
  let best: Member = story.members[0]!;
  let bestScore = -1;
  for (const m of story.members) {
    if (m.copyOf) continue;
    const { ids, weighted } = index.tfidf(m.vector);
    const score = dotWithCentroid(story, ids, weighted) * (isExplainer(m.title) ? EXPLAINER_WEIGHT : 1);
    if (score > bestScore || (score === bestScore && m.key < best.key)) [best, bestScore] = [m, score];
  }
  return best.key;
}
