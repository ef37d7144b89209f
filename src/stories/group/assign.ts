// The online grouping: each item is compared with the active stories found through an inverted index
// from terms to stories, and joins the most similar one or starts a new story. Pure: time is passed in.
import { CopyDetector, type CopyPrint, type CopySource } from '../text/copies.js';
import { extractFeatures, type ItemFeatures, type StoryItemText } from '../text/features.js';
import { NameLexicon } from '../text/name-lexicon.js';
import { groupingOptions, type GroupingOptions } from './options.js';
import { TermPostings } from '../structures/postings.js';
import {
  absorbStory,
  addMember,
  centroidNorm,
  createStory,
  type Member,
  type MemberNames,
  type StoryState,
} from '../structures/story-state.js';
import { termSum } from '../structures/term-sums.js';
import { TopList } from '../structures/top-list.js';
import { Vocabulary, type TermVector } from '../structures/vocabulary.js';
import type { Assignment, AssignReason, StoredFeatures, TopicMention } from '../../model.js';

/** An item to group: its text, a caller's key, and its publication time (epoch ms). */
export interface StoryItem extends StoryItemText {
  key: string;
  published: number;
}

export type { Assignment, AssignReason, StoredFeatures } from '../../model.js';

/** Where an item goes and why. */
/** An item read and vectorised once, between `decide` and `apply`. */
export interface PreparedItem {
  item: StoryItem;
  vector: TermVector;
  /** The texts of the vector's terms. */
  terms: string[];
  names: MemberNames;
  copyText: string;
  /** What copy detection keeps of its text, when restored (undefined: read from copyText). */
  copyPrint?: CopyPrint | null;
  /** Its topic mentions when already read (restored from what the story writer stored); else read when topics ask. */
  mentions?: TopicMention[];
}

export class StoryAssigner {
  readonly vocab: Vocabulary;
  readonly options: GroupingOptions;
  protected readonly stories = new Map<number, StoryState>();
  private readonly postings: TermPostings;
  private readonly copies: CopyDetector;
  /** The names the held items spell with capitals (see name-lexicon.ts). */
  private readonly names = new NameLexicon();
  private readonly urls = new Map<string, { itemKey: string; storyKey: number }>();
  private readonly mergedInto = new Map<number, number>();
  /** Stories that gained items since the last consolidation: only they can have become similar to another. */
  private readonly changed = new Set<number>();
  private nextKey = 1;
  private lastPrune = -Infinity;

  constructor(options: Partial<GroupingOptions> = {}) {
    this.options = groupingOptions(options);
    this.vocab = new Vocabulary(this.options.idfPower);
    this.postings = new TermPostings(this.vocab, this.options);
    this.copies = new CopyDetector({
      minWords: this.options.copyMinWords,
      minSimilarity: this.options.copyMinSimilarity,
    });
  }

  /** Reads an item's features (interning its terms). */
  prepare(item: StoryItem): PreparedItem {
    return this.prepareFrom(item, extractFeatures(item, this.options.features, this.names));
  }

  /** An item with the features and mentions read when it was first assigned: as `prepare`, without reading its text again. */
  prepareStored(item: StoryItem, stored: StoredFeatures): PreparedItem {
    const p = this.prepareFrom(item, stored);
    if (stored.mentions) p.mentions = stored.mentions;
    if (stored.copy !== undefined)
      p.copyPrint = stored.copy && {
        exact: stored.copy[0]!,
        signature: stored.copy.length > 1 ? Uint32Array.from(stored.copy.slice(1)) : null,
      };
    return p;
  }

  private prepareFrom(item: StoryItem, f: ItemFeatures): PreparedItem {
    const ids = f.terms.map((t) => this.vocab.intern(t));
    const names = { title: f.titleNames, summary: f.summaryNames, titleCasing: f.titleCasing };
    return {
      item,
      vector: { ids, weights: f.weights },
      terms: f.terms,
      names,
      copyText: `${item.title}\n${item.summary ?? ''}`,
    };
  }

  /** What to store of a member so that `prepareStored` gives it back (its mentions only if topics have read them). */
  storedFeatures(m: Member): StoredFeatures {
    const terms = m.vector.ids.map((id) => this.vocab.name(id));
    const print = this.copies.storedPrint(m.key);
    const copy = print && [print.exact, ...(print.signature ?? [])];
    return {
      terms,
      weights: m.vector.weights,
      titleNames: m.names.title,
      summaryNames: m.names.summary,
      titleCasing: m.names.titleCasing,
      mentions: m.mentions ?? null,
      copy,
    };
  }

  /**
   * Chooses the story for an item without changing the index. `original` is the earlier item with the
   * same article URL where the caller knows it (the database keeps every article, the index only the
   * active ones): the same article is one article, in its first appearance's story, as a copy.
   */
  decide(p: PreparedItem, now: number, original?: CopySource): Assignment {
    const url = original ?? (p.item.url ? this.urls.get(p.item.url) : undefined);
    if (url && (original || this.stories.has(url.storyKey)))
      return { storyKey: url.storyKey, reason: 'same-url', score: 1, sharedTerms: [], copyOf: url.itemKey };
    const copy = this.copies.find(p.copyText);
    if (copy && this.stories.has(copy.storyKey))
      return { storyKey: copy.storyKey, reason: 'copy', score: 1, sharedTerms: [], copyOf: copy.itemKey };
    const time = Math.min(p.item.published, now);
    const { ids, values, weighted } = this.tfidf(p.vector);
    const candidates = this.candidates(ids);
    const dots = this.postings.dotsWithCentroids(candidates, ids, weighted);
    let best: StoryState | null = null;
    let bestScore = 0;
    let bestMargin = 0;
    let topScore = 0;
    for (let c = 0; c < candidates.length; c++) {
      const story = candidates[c]!;
      const score = (dots[c]! / centroidNorm(story, this.vocab)) * this.decay(story, time);
      const need = this.joinThresholdFor(story);
      if (score > topScore) topScore = score;
      if (score < need) continue;
      // Among the stories the item could join, the one it clears by the widest margin.
      const margin = score / need;
      if (margin > bestMargin || (margin === bestMargin && best && story.key < best.key))
        [best, bestScore, bestMargin] = [story, score, margin];
    }
    if (!best) return { storyKey: null, reason: 'new-story', score: topScore, sharedTerms: [], copyOf: null };
    return {
      storyKey: best.key,
      reason: 'similar',
      score: bestScore,
      sharedTerms: this.sharedTerms(best, ids, values),
      copyOf: null,
    };
  }

  /** Records an assignment (decided here or by another process); returns the story key used. */
  apply(p: PreparedItem, a: Assignment, newKey?: number): number {
    const key = a.storyKey ?? newKey ?? this.nextKey;
    this.nextKey = Math.max(this.nextKey, key + 1);
    let story = this.stories.get(key);
    if (!story) this.stories.set(key, (story = createStory(key, p.item.published, this.options.centroidPower)));
    this.vocab.observe(p.vector.ids, p.terms);
    this.names.add(memberNames(p.names));
    const member: Member = {
      key: p.item.key,
      title: p.item.title,
      summary: p.item.summary ?? '',
      outlet: p.item.outlet ?? null,
      url: p.item.url ?? null,
      published: p.item.published,
      vector: p.vector,
      names: p.names,
      ...(p.mentions ? { mentions: p.mentions } : {}),
      copyOf: a.copyOf,
    };
    for (const id of addMember(story, member, this.vocab)) this.post(id, story);
    this.changed.add(key);
    if (p.item.url && !this.urls.has(p.item.url)) this.urls.set(p.item.url, { itemKey: p.item.key, storyKey: key });
    if (!a.copyOf) this.copies.add(p.copyText, { itemKey: p.item.key, storyKey: key }, p.copyPrint);
    return key;
  }

  /** decide + apply, with story keys counted from 1. */
  assign(item: StoryItem, now: number): Assignment & { storyKey: number } {
    const p = this.prepare(item);
    const a = this.decide(p, now);
    this.pruneQuiet(now);
    return { ...a, storyKey: this.apply(p, a) };
  }

  /** Stories with no item for `quietAfterMs` leave the index (checked at most hourly); returns their keys. */
  pruneQuiet(now: number, force = false): number[] {
    if (!force && now - this.lastPrune < 3_600_000) return [];
    this.lastPrune = now;
    const quiet = [...this.stories.values()].filter((s) => s.lastSeen < now - this.options.quietAfterMs);
    for (const s of quiet) this.forget(s);
    return quiet.map((s) => s.key);
  }

  /** Moves every item of story `fromKey` into `intoKey`; later lookups of `fromKey` resolve to `intoKey`. */
  mergeStories(intoKey: number, fromKey: number): void {
    const into = this.stories.get(intoKey);
    const from = this.stories.get(fromKey);
    if (!into || !from || into === from) return;
    this.unpost(from);
    for (const id of absorbStory(into, from, this.vocab)) this.post(id, into);
    for (const m of from.members) {
      this.copies.move(m.key, intoKey);
      const u = m.url ? this.urls.get(m.url) : undefined;
      if (u?.storyKey === fromKey) u.storyKey = intoKey;
    }
    this.stories.delete(fromKey);
    this.mergedInto.set(fromKey, intoKey);
    this.changed.delete(fromKey);
    this.changed.add(intoKey);
  }

  /** The story a key now stands for, following merges. */
  resolve(key: number): number {
    let k = key;
    for (let next = this.mergedInto.get(k); next !== undefined; next = this.mergedInto.get(k)) k = next;
    return k;
  }

  /** Active stories changed since the last call, in key order; the set is cleared. */
  takeChangedStories(): StoryState[] {
    const out = [...this.changed].flatMap((k) => this.stories.get(k) ?? []).sort((a, b) => a.key - b.key);
    this.changed.clear();
    return out;
  }

  story(key: number): StoryState | undefined {
    return this.stories.get(key);
  }

  /** Active stories in key order. */
  activeStories(): StoryState[] {
    return [...this.stories.values()].sort((a, b) => a.key - b.key);
  }

  get size(): number {
    return this.stories.size;
  }

  /**
   * Stories sharing the item's rarest terms, best first by the idf mass they share, at most `limit`:
   * the exact similarity is computed for these only, so the cost per item stays flat as stories pile up.
   */
  candidates(ids: readonly number[], limit = this.options.maxCandidates, self?: StoryState): StoryState[] {
    return this.postings.candidates(ids, limit, self);
  }

  /** For each of `others`, the idf²-weighted dot of its centroid sums with `story`'s (the numerator of storySimilarity). */
  sharedDots(story: StoryState, others: readonly StoryState[]): number[] {
    return this.postings.sharedDots(story, others);
  }

  /** Unit-length tf-idf values of an item under the current idf, and the same times idf again (to meet a centroid). */
  tfidf(v: TermVector): { ids: number[]; values: number[]; weighted: number[] } {
    const n = v.ids.length;
    const values = new Array<number>(n);
    // Holds each term's idf until the norm is known.
    const weighted = new Array<number>(n);
    let sq = 0;
    for (let i = 0; i < n; i++) {
      weighted[i] = this.vocab.idf(v.ids[i]!);
      values[i] = v.weights[i]! * weighted[i]!;
      sq += values[i]! * values[i]!;
    }
    const norm = Math.sqrt(sq) || 1;
    for (let i = 0; i < n; i++) {
      values[i] = values[i]! / norm;
      weighted[i] = values[i]! * weighted[i]!;
    }
    return { ids: v.ids, values, weighted };
  }

  /** Lowest similarity at which an item joins this story: a lone item is judged item against item. */
  joinThresholdFor(story: StoryState): number {
    const { joinThreshold, singleJoinThreshold, joinSizePower } = this.options;
    return joinThreshold + (singleJoinThreshold - joinThreshold) / Math.max(1, story.members.length) ** joinSizePower;
  }

  /**
   * 1 within the grace time of the story's newest item, then halving every half-life; and once the story
   * is older than the age grace, halving again every age half-life, however often it is fed.
   */
  decay(story: StoryState, time: number): number {
    const gap = time > story.lastSeen ? time - story.lastSeen : time < story.firstSeen ? story.firstSeen - time : 0;
    const over = gap - this.options.decayGraceMs;
    const age = time - story.firstSeen - this.options.ageGraceMs;
    return (
      (over > 0 ? 0.5 ** (over / this.options.decayHalfLifeMs) : 1) *
      (age > 0 ? 0.5 ** (age / this.options.ageHalfLifeMs) : 1)
    );
  }

  /** The terms that contributed most to an item's similarity with a story, readable. */
  sharedTerms(story: StoryState, ids: readonly number[], values: readonly number[], limit = 8): string[] {
    const top = new TopList<number>(limit);
    for (let i = 0; i < ids.length; i++) {
      const s = termSum(story.sums, ids[i]!);
      if (s !== undefined) top.offer(ids[i]!, ids[i]!, values[i]! * s * this.vocab.idf(ids[i]!));
    }
    return top.items.map((id) => readableTerm(this.vocab.name(id)));
  }

  protected post(id: number, story: StoryState): void {
    this.postings.add(id, story);
  }

  protected unpost(story: StoryState): void {
    this.postings.removeStory(story);
  }

  protected forget(story: StoryState): void {
    this.unpost(story);
    this.stories.delete(story.key);
    this.changed.delete(story.key);
    for (const m of story.members) {
      this.vocab.dropSingletonTexts(m.vector.ids);
      this.names.remove(memberNames(m.names));
      this.copies.remove(m.key);
      if (m.url && this.urls.get(m.url)?.itemKey === m.key) this.urls.delete(m.url);
    }
  }
}

// The names an item spelled: its title's (of a Title Case title, only acronyms) and its summary's.
function memberNames(names: MemberNames): string[] {
  return names.summary.length ? [...names.title, ...names.summary] : names.title;
}

/** "e:claudia sheinbaum" → "claudia sheinbaum"; "drug_cartel" → "drug cartel". */
export function readableTerm(term: string): string {
  return term.startsWith('e:') ? term.slice(2) : term.replace(/_/g, ' ');
}
