// How the story writer records a decision: the score as a float4 column keeps it, and which outlet an
// article is credited to when it reached the stories through another feed first. Pure.
import type { PendingItem } from '../../model.js';
import { isOnSite } from '../../normalize/url.js';

/** Scores are stored as float4: a vanishing similarity (1e-87) would be out of its range, so six decimals are kept. */
export function storedScore(score: number): number {
  return Number.isFinite(score) ? Math.round(score * 1e6) / 1e6 : 0;
}

// Reached through its own outlet's site, not through an aggregator naming another publisher.
function isOnOwnSite(item: PendingItem): boolean {
  return item.namedOutlet === null && isOnSite(item.url, item.site);
}

/** A copy reached through its own outlet's site takes the credit from a first appearance that was not; else null. */
export function creditFor(original: PendingItem, copy: PendingItem): string | null {
  return isOnOwnSite(copy) && !isOnOwnSite(original) ? copy.outlet : null;
}
