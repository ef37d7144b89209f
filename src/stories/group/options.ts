// The grouping's parameters, one table. Chosen on the aggregate BCubed F1 of both development sets
// (the UCI half: few large stories; the demo week: mostly single items, a few events covered widely; see
// bench/cluster.ts), from the middle of a plateau rather than its peak.
import { DEFAULT_FEATURE_WEIGHTS, type FeatureWeights } from '../text/features.js';

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

export interface GroupingOptions {
  features: FeatureWeights;
  /** Power applied to idf (1: plain tf-idf). */
  idfPower: number;
  /** Power on a story's summed term weights in its centroid (see StoryState.sums). */
  centroidPower: number;
  /** Lowest similarity at which an item joins a large story (centroid cosine after time decay). */
  joinThreshold: number;
  /** Lowest similarity at which an item joins a story of one item: item against item. */
  singleJoinThreshold: number;
  /**
   * The threshold falls from singleJoinThreshold to joinThreshold as a story grows, by this power of its
   * size: a centroid of many items is closer to each of them than one item is to another.
   */
  joinSizePower: number;
  /** Time between an item and a story's newest item within which similarity is not decayed. */
  decayGraceMs: number;
  /** Beyond the grace time, similarity halves every this long. */
  decayHalfLifeMs: number;
  /** A story older than this (from its first item) takes new items less and less: an event ends. */
  ageGraceMs: number;
  /** Beyond the age grace, similarity halves every this long. */
  ageHalfLifeMs: number;
  /** Lowest similarity at which consolidation merges two stories of several items. */
  mergeThreshold: number;
  /** Lowest similarity at which consolidation moves a one-item story into another. */
  mergeSingleThreshold: number;
  /**
   * A story of ten items or more whose coherence (centroid norm over its members' norms) is below this
   * is a mixture: consolidation neither merges it nor merges into it.
   */
  mergeMinCoherence: number;
  /** Item time between consolidation passes. */
  consolidateEveryMs: number;
  /** A story with no item for this long goes quiet: it leaves the index and takes no more items. */
  quietAfterMs: number;
  /** Candidate stories are looked up through this many of the item's rarest terms. */
  candidateTerms: number;
  /** At most this many candidate stories (those sharing the most idf mass) are scored exactly. */
  maxCandidates: number;
  /** At most this many posting entries are read to find an item's candidates (bounds the cost per item). */
  maxPostingsScanned: number;
  /** Terms in more than this share of documents look up no candidates (they would reach every story). */
  maxCandidateDocumentShare: number;
  /** Copies: texts of at least this many words, at least this similar. */
  copyMinWords: number;
  copyMinSimilarity: number;
}

export const DEFAULT_GROUPING_OPTIONS: GroupingOptions = {
  features: DEFAULT_FEATURE_WEIGHTS,
  idfPower: 1,
  centroidPower: 0.85,
  joinThreshold: 0.05,
  singleJoinThreshold: 0.16,
  joinSizePower: 0.5,
  decayGraceMs: 2 * HOUR,
  decayHalfLifeMs: 4 * HOUR,
  ageGraceMs: 36 * HOUR,
  ageHalfLifeMs: 12 * HOUR,
  mergeThreshold: 0.17,
  mergeSingleThreshold: 0.22,
  mergeMinCoherence: 0.3,
  consolidateEveryMs: HOUR,
  quietAfterMs: 4 * DAY,
  candidateTerms: 8,
  maxCandidateDocumentShare: 0.05,
  maxCandidates: 12,
  maxPostingsScanned: 100,
  copyMinWords: 6,
  copyMinSimilarity: 0.7,
};

/** Defaults overridden by whatever is given. */
export function groupingOptions(overrides: Partial<GroupingOptions> = {}): GroupingOptions {
  return {
    ...DEFAULT_GROUPING_OPTIONS,
    ...overrides,
    features: { ...DEFAULT_GROUPING_OPTIONS.features, ...overrides.features },
  };
}
