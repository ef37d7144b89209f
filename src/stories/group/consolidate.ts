// Consolidation: stories that turned out to be the same event are merged, best-matching pairs first
// (as average-link clustering would), in rounds until no pair is similar enough. Deterministic.
import { smallerDot } from '../structures/postings.js';
import { readableTerm, type StoryAssigner } from './assign.js';
import { centroidNorm, coherence, type StoryState } from '../structures/story-state.js';
import { termSum } from '../structures/term-sums.js';
import { TopList } from '../structures/top-list.js';
import type { StoryMerge } from '../../model.js';

export type { StoryMerge } from '../../model.js';

const MAX_ROUNDS = 20;

/** Merges similar active stories in the index; returns the merges in the order made. */
export function consolidateIndex(index: StoryAssigner, now: number): StoryMerge[] {
  index.pruneQuiet(now, true);
  const merges: StoryMerge[] = [];
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const pairs = similarPairs(index, index.takeChangedStories());
    const touched = new Set<number>();
    let merged = 0;
    for (const p of pairs) {
      if (touched.has(p.a.key) || touched.has(p.b.key)) continue;
      touched.add(p.a.key).add(p.b.key);
      const [into, from] = survivorFirst(p.a, p.b);
      const sharedTerms = topSharedTerms(index, into, from);
      index.mergeStories(into.key, from.key);
      merges.push({ from: from.key, into: into.key, score: p.score, sharedTerms });
      merged++;
    }
    if (merged === 0) break;
  }
  return merges;
}

interface Pair {
  a: StoryState;
  b: StoryState;
  score: number;
}

// Pairs with at least one changed story: two unchanged stories were already compared last time.
function similarPairs(index: StoryAssigner, changed: StoryState[]): Pair[] {
  const pairs: Pair[] = [];
  const changedKeys = new Set(changed.map((s) => s.key));
  for (const a of changed) {
    const others = index
      .candidates(topTerms(index, a), index.options.maxCandidates, a)
      .filter((b) => b !== a && !(changedKeys.has(b.key) && b.key < a.key));
    const dots = index.sharedDots(a, others);
    others.forEach((b, i) => {
      const score = decayedCosine(index, a, b, dots[i]!);
      if (score >= mergeThresholdFor(index, a, b)) pairs.push(a.key < b.key ? { a, b, score } : { a: b, b: a, score });
    });
  }
  return pairs.sort((x, y) => y.score - x.score || x.a.key - y.a.key || x.b.key - y.b.key);
}

// A one-item story moves only on stronger evidence than it had when it arrived; a mixture (a large story
// whose members say different things) is left alone, since whatever joins it joins all of them.
function mergeThresholdFor(index: StoryAssigner, a: StoryState, b: StoryState): number {
  const o = index.options;
  if (Math.min(a.members.length, b.members.length) === 1) return o.mergeSingleThreshold;
  for (const s of [a, b])
    if (s.members.length >= 10 && coherence(s, index.vocab) < o.mergeMinCoherence) return Infinity;
  return o.mergeThreshold;
}

/** Centroid cosine of two stories under the current idf, decayed by the time between their spans. */
export function storySimilarity(index: StoryAssigner, a: StoryState, b: StoryState): number {
  const [small, large] = a.sums.size <= b.sums.size ? [a, b] : [b, a];
  return decayedCosine(index, a, b, smallerDot(small, large, index.vocab));
}

/** storySimilarity from the dot of the two stories' sums (idf² weighted). */
function decayedCosine(index: StoryAssigner, a: StoryState, b: StoryState, dot: number): number {
  const cosine = dot / (centroidNorm(a, index.vocab) * centroidNorm(b, index.vocab));
  const gap = Math.max(0, Math.max(a.firstSeen, b.firstSeen) - Math.min(a.lastSeen, b.lastSeen));
  const over = gap - index.options.decayGraceMs;
  return over <= 0 ? cosine : cosine * 0.5 ** (over / index.options.decayHalfLifeMs);
}

// The story with more items keeps its id (readers have most likely seen it); on a tie, the older one.
function survivorFirst(a: StoryState, b: StoryState): [StoryState, StoryState] {
  if (a.members.length !== b.members.length) return a.members.length > b.members.length ? [a, b] : [b, a];
  return a.key < b.key ? [a, b] : [b, a];
}

// The story's heaviest terms, re-ranked from the last ranking plus the terms that grew since: big stories
// carry thousands of terms, and reading them all every hour would make consolidation grow with the story.
function topTerms(index: StoryAssigner, story: StoryState): number[] {
  const top = new TopList<number>(index.options.candidateTerms * 2);
  const offer = (id: number): void => top.offer(id, id, (termSum(story.sums, id) ?? 0) * index.vocab.idf(id));
  // A term both ranked before and grown since is offered twice with the same score: the list keeps it once.
  story.topTerms.forEach(offer);
  story.grownTerms.forEach(offer);
  story.topTerms = top.items;
  story.grownTerms.clear();
  return story.topTerms;
}

// Walks the smaller story's terms: the survivor of a merge may be a long-running story with a vast vocabulary.
function topSharedTerms(index: StoryAssigner, a: StoryState, b: StoryState, limit = 8): string[] {
  const [small, large] = a.sums.size <= b.sums.size ? [a, b] : [b, a];
  const top = new TopList<number>(limit);
  const { ids, values } = small.sums;
  for (let i = 0; i < small.sums.size; i++) {
    const v = termSum(large.sums, ids[i]!);
    if (v !== undefined) top.offer(ids[i]!, ids[i]!, values[i]! * v * index.vocab.idf(ids[i]!) ** 2);
  }
  return top.items.map((id) => readableTerm(index.vocab.name(id)));
}
