// The grouping's parameters, one table. Chosen on the development set's aggregate BCubed F1 (see
// bench/cluster.ts), from the middle of a plateau rather than its peak.
import { DEFAULT_FEATURE_WEIGHTS, type FeatureWeights } from './features.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface GroupingOptions {
  features: FeatureWeights;
  /** Power applied to idf (1: plain tf-idf; 0.5: flatter, see Vocabulary). */
  idfPower: number;
  /** Power applied to a story's summed term weights (1: plain centroid; above 1 sharpens it, see Vocabulary). */
  centroidPower: number;
  /** Lowest similarity (centroid cosine after time decay) at which an item joins a story. */
  joinThreshold: number;
  /** Lowest similarity at which consolidation merges two stories. */
  mergeThreshold: number;
  /** Stories this small merge at the join threshold (as a late-arriving item would join). */
  smallStoryItems: number;
  /** Time between an item and a story within which similarity is not decayed. */
  decayGraceMs: number;
  /** Beyond the grace time, similarity halves every this long. */
  decayHalfLifeMs: number;
  /** A story with no item for this long goes quiet: it leaves the index and takes no more items. */
  quietAfterMs: number;
  /** Candidate stories are looked up through this many of the item's rarest terms. */
  candidateTerms: number;
  /** Terms in more than this share of documents look up no candidates (they would reach every story). */
  maxCandidateDocumentShare: number;
  /** Copies: texts of at least this many words, at least this similar. */
  copyMinWords: number;
  copyMinSimilarity: number;
}

export const DEFAULT_GROUPING_OPTIONS: GroupingOptions = {
  features: DEFAULT_FEATURE_WEIGHTS,
  idfPower: 1,
  centroidPower: 1,
  joinThreshold: 0.12,
  mergeThreshold: 0.17,
  smallStoryItems: 0,
  decayGraceMs: DAY,
  decayHalfLifeMs: 2 * DAY,
  quietAfterMs: 4 * DAY,
  candidateTerms: 12,
  maxCandidateDocumentShare: 0.05,
  copyMinWords: 6,
  copyMinSimilarity: 0.7,
};

/** Defaults overridden by whatever is given. */
export function groupingOptions(overrides: Partial<GroupingOptions> = {}): GroupingOptions {
  return { ...DEFAULT_GROUPING_OPTIONS, ...overrides, features: { ...DEFAULT_GROUPING_OPTIONS.features, ...overrides.features } };
}
