// The storyline linking's parameters, one table. Chosen on the aggregate BCubed F1 of the demo week's
// storyline labels (bench/cluster.ts), from the middle of a plateau rather than its peak.
import { DAY, HOUR } from '../group/options.js';

export interface StorylineOptions {
  /** Weight of a story's topics (people, places, organisations, themes) against its distinctive terms. */
  topicWeight: number;
  /** A story brings at most this many of its heaviest single words (centroid weight × idf^termIdfPower) to its profile. */
  termCount: number;
  /** The items' idf is raised to this power when a story's words are ranked: below 1, a word every item of a heavily covered situation uses stays. */
  termIdfPower: number;
  /** Lowest similarity (cosine, with lineSizeBonus) between a story's profile and a storyline's at which the story joins it. */
  linkThreshold: number;
  /**
   * The cosine with a storyline of n stories is multiplied by 1 + lineSizeBonus × ln n: a situation's
   * centroid spreads over its many developments, so a new one matches it less than one story would.
   */
  lineSizeBonus: number;
  /** A story joins a storyline only when they share at least this many things below maxKeyShare, all places counting as one: countries in common are a beat. */
  minSharedKeys: number;
  /**
   * A grown story of a storyline with other stories merges its storyline into another it is at least
   * this similar to: two storylines that turned out to be one situation.
   */
  mergeThreshold: number;
  /** Within this time of a storyline's newest story, similarity is not decayed. */
  decayGraceMs: number;
  /** Beyond the grace time, similarity halves every this long. */
  decayHalfLifeMs: number;
  /** A storyline with no story seen for this long goes quiet: it leaves the index. */
  quietAfterMs: number;
  /** Keys (topics, terms) in more than this share of stories look up no candidates: a beat, not a situation. */
  maxKeyShare: number;
  /** At most this many candidate storylines (sharing the most idf mass) are scored exactly. */
  maxCandidates: number;
  /** Grown stories are linked again once per this much item time. */
  relinkEveryMs: number;
  /**
   * A story alone in its storyline is linked again at the passes 1, 2, 4… periods after its first item while
   * that item is this recent: an early story of a situation was linked before the situation's storyline formed.
   */
  loneRelinkMs: number;
  /**
   * A story alone in its storyline, linked again (grown or lone), joins another at this similarity: above
   * linkThreshold, since every further look is one more chance of a chance match.
   */
  relinkThreshold: number;
}

export const DEFAULT_STORYLINE_OPTIONS: StorylineOptions = {
  topicWeight: 0.4,
  termCount: 16,
  termIdfPower: 0.5,
  linkThreshold: 0.3,
  lineSizeBonus: 0.2,
  minSharedKeys: 2,
  mergeThreshold: 0.5,
  decayGraceMs: 2 * DAY,
  decayHalfLifeMs: 2 * DAY,
  quietAfterMs: 14 * DAY,
  maxKeyShare: 0.1,
  maxCandidates: 16,
  relinkEveryMs: HOUR,
  loneRelinkMs: 4 * DAY,
  relinkThreshold: 0.36,
};

/** Defaults overridden by whatever is given. */
export function storylineOptions(overrides: Partial<StorylineOptions> = {}): StorylineOptions {
  return { ...DEFAULT_STORYLINE_OPTIONS, ...overrides };
}
