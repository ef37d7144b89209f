// The inverted index, term id → the active stories whose centroid holds the term, and the searches that
// read it. Term ids are small dense integers, so the lists live in an array indexed by id (no hashing).
// A story is listed under a term exactly when its sums hold the term: walking a short list finds the
// stories sharing a term without asking each story.
import type { StoryState } from './story-state.js';
import { termWeight } from './term-sums.js';
import { TopList } from './top-list.js';
import type { Vocabulary } from './vocabulary.js';

/** The grouping options the candidate search reads. */
export interface CandidateSearchOptions {
  candidateTerms: number;
  maxPostingsScanned: number;
  maxCandidateDocumentShare: number;
}

export class TermPostings {
  private readonly lists: Array<StoryState[] | undefined> = [];
  // Stamps for the stories' scratch fields (probe, probeScore): the candidate search marks what it reached, no map.
  private probes = 0;

  constructor(
    private readonly vocab: Vocabulary,
    private readonly options: CandidateSearchOptions,
  ) {}

  /** The stories holding a term; undefined when none does (a list is never empty). Order carries no meaning. */
  get(id: number): readonly StoryState[] | undefined {
    return this.lists[id];
  }

  add(id: number, story: StoryState): void {
    // Grown one slot at a time so the array stays a plain vector, never a sparse dictionary.
    while (this.lists.length <= id) this.lists.push(undefined);
    const list = this.lists[id];
    if (list) list.push(story);
    else this.lists[id] = [story];
  }

  /** Takes a story out of the lists of all its terms. */
  removeStory(story: StoryState): void {
    const { ids, size } = story.sums;
    for (let i = 0; i < size; i++) {
      const list = this.lists[ids[i]!];
      const at = list ? list.indexOf(story) : -1;
      if (!list || at < 0) continue;
      // The last entry takes its place: order in a list carries no meaning.
      list[at] = list[list.length - 1]!;
      list.pop();
      if (list.length === 0) this.lists[ids[i]!] = undefined;
    }
  }

  /**
   * Stories sharing the rarest of the given terms, best first by the idf mass they share, at most `limit`:
   * the exact similarity is computed for these only, so the cost per item stays flat as stories pile up.
   */
  candidates(ids: readonly number[], limit: number, self?: StoryState): StoryState[] {
    const probe = ++this.probes;
    const found: StoryState[] = [];
    let scanned = 0;
    for (const id of this.rarestTerms(ids, self)) {
      const posting = this.lists[id]!;
      if (self) self.probe = probe;
      // A budget of postings read: common terms reach many stories and add little, so they are read last, if at all.
      if (scanned > 0 && scanned + posting.length > this.options.maxPostingsScanned) break;
      scanned += posting.length;
      const idf = this.vocab.idf(id);
      for (const s of posting) {
        if (s.probe !== probe) {
          s.probe = probe;
          s.probeScore = 0;
          found.push(s);
        }
        s.probeScore += idf;
      }
    }
    if (found.length <= limit) return found;
    const top = new TopList<StoryState>(limit);
    for (const s of found) top.offer(s, s.key, s.probeScore);
    return top.items;
  }

  /**
   * dotWithCentroid of an item with each story: a term is matched by walking its list when that is no
   * longer than the stories, and a term no story holds costs nothing. Each dot adds the same products in
   * the same order as dotWithCentroid does.
   */
  dotsWithCentroids(stories: readonly StoryState[], ids: readonly number[], weighted: readonly number[]): Float64Array {
    const dots = new Float64Array(stories.length);
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      const posting = this.lists[id];
      if (!posting) continue;
      if (posting.length <= stories.length) {
        // Matched by identity among a dozen stories: no read of each listed story's fields.
        for (const s of posting) {
          const c = stories.indexOf(s);
          if (c >= 0) dots[c]! += weighted[i]! * termWeight(s.sums, id)!;
        }
      } else {
        for (let c = 0; c < stories.length; c++) {
          const sum = termWeight(stories[c]!.sums, id);
          if (sum !== undefined) dots[c]! += weighted[i]! * sum;
        }
      }
    }
    return dots;
  }

  /**
   * For each of `others`, the sum over the terms it shares with `story` of both sums times idf², walking
   * the smaller story's terms in order (as storySimilarity does). Where `story` is the smaller, its terms
   * are matched through the lists, as in dotsWithCentroids.
   */
  sharedDots(story: StoryState, others: readonly StoryState[]): number[] {
    const larger = others.filter((b) => b !== story && story.sums.size <= b.sums.size);
    const dots = new Float64Array(larger.length);
    const { ids, weights, size } = story.sums;
    for (let i = 0; i < size && larger.length > 0; i++) {
      const id = ids[i]!;
      const posting = this.lists[id]!;
      // Only `story` holds the term: the common case, settled without reading further.
      if (posting.length === 1) continue;
      let idf = 0;
      const walkList = posting.length <= larger.length + 1;
      const n = walkList ? posting.length : larger.length;
      for (let k = 0; k < n; k++) {
        const c = walkList ? larger.indexOf(posting[k]!) : k;
        if (c < 0) continue;
        const v = termWeight(larger[c]!.sums, id);
        if (v === undefined) continue;
        idf ||= this.vocab.idf(id);
        dots[c]! += weights[i]! * v * idf * idf;
      }
    }
    return others.map((b) => {
      const c = larger.indexOf(b);
      return c >= 0 ? dots[c]! : b === story ? 0 : smallerDot(b, story, this.vocab);
    });
  }

  /** The `candidateTerms` rarest of the terms that reach a story (other than `self`) and are not too common; ties by id. */
  private rarestTerms(ids: readonly number[], self?: StoryState): number[] {
    // In a young corpus every term is "common": the share cut applies once there is a corpus to judge by.
    const maxShare = this.vocab.documents < 100 ? 1 : this.options.maxCandidateDocumentShare;
    const rarest = new TopList<number>(this.options.candidateTerms);
    for (const id of ids) {
      // A term no document has counted is on no list yet (the frequency is read first: it is at hand).
      const df = this.vocab.documentFrequency(id);
      if (df === 0 || this.vocab.documentShare(id) > maxShare) continue;
      const posting = this.lists[id];
      // A story looking for its peers skips the terms only it carries.
      if (!posting || (posting.length === 1 && posting[0] === self)) continue;
      rarest.offer(id, id, -df);
    }
    return rarest.items;
  }
}

/** Σ over the smaller story's terms of both sums times idf², as storySimilarity adds them. */
export function smallerDot(small: StoryState, large: StoryState, vocab: Vocabulary): number {
  let dot = 0;
  const { ids, weights, size } = small.sums;
  for (let i = 0; i < size; i++) {
    const v = termWeight(large.sums, ids[i]!);
    if (v !== undefined) {
      const idf = vocab.idf(ids[i]!);
      dot += weights[i]! * v * idf * idf;
    }
  }
  return dot;
}
