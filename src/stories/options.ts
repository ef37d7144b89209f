// The grouping's parameters, one table. Chosen on the development set's aggregate BCubed F1 (see
// bench/cluster.ts), from the middle of a plateau rather than its peak.
import { DEFAULT_FEATURE_WEIGHTS, type FeatureWeights } from './features.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface GroupingOptions {
  features: FeatureWeights;
  /** Power applied to idf (1: plain tf-idf; 0.5: flatter, see Vocabulary). */
  idfPower: number;
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
  idfPower: 0.5,
  joinThreshold: 0.1,
  mergeThreshold: 0.18,
  smallStoryItems: 1,
  decayGraceMs: DAY,
  decayHalfLifeMs: 2 * DAY,
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
  return { ...DEFAULT_GROUPING_OPTIONS, ...overrides, features: { ...DEFAULT_GROUPING_OPTIONS.features, ...overrides.features } };
}
