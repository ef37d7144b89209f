// One story as the index holds it: its members and the centroid of their term vectors.
import { addTermSum, createTermSums, termWeight, type TermSums } from './term-sums.js';
import type { Casing, TopicMention } from '../../model.js';
import type { TermVector, Vocabulary } from './vocabulary.js';

/** An item inside a story. */
export interface Member {
  key: string;
  title: string;
  summary: string;
  outlet: string | null;
  url: string | null;
  published: number;
  vector: TermVector;
  /** What topics read of the item: the names found, and whether its title's capitals mark names. */
  names: MemberNames;
  /** Its topic mentions, read from `names` when topics first ask (see topics/story-topics.ts, memberMentions). */
  mentions?: TopicMention[];
  copyOf: string | null;
}

export interface MemberNames {
  title: string[];
  summary: string[];
  titleCasing: Casing;
}

export interface StoryState {
  key: number;
  firstSeen: number;
  lastSeen: number;
  members: Member[];
  /**
   * Term id → sum over independent members of the member's unit-length raw weight. The centroid holds
   * each sum to a power below 1: the words every member repeats (the story's actors) weigh less against
   * the words only some share (what happened), so a new development of the same actors is less alike.
   */
  sums: TermSums;
  /**
   * Squared norm of the centroid: recomputed under the current idf when the corpus has grown a quarter
   * since `normDocuments`, and in between kept up as terms grow, each under its idf at that time.
   */
  normSq: number;
  normDocuments: number;
  /** coherence() as last computed, and the member count it was computed at. */
  coherence: number;
  coherenceMembers: number;
  /** Independent (non-copy) members per outlet. */
  outlets: Map<string, number>;
  /** The heaviest terms when last ranked, and terms whose weight grew since: a story's top terms can only come from these. */
  topTerms: number[];
  grownTerms: Set<number>;
  /** Scratch of the candidate search (which search last touched the story, and its score there): no map per item. */
  probe: number;
  probeScore: number;
}

export function createStory(key: number, time: number, centroidPower = 1): StoryState {
  return {
    key,
    firstSeen: time,
    lastSeen: time,
    members: [],
    sums: createTermSums(centroidPower),
    normSq: 0,
    normDocuments: 0,
    coherence: 1,
    coherenceMembers: 0,
    outlets: new Map(),
    topTerms: [],
    grownTerms: new Set(),
    probe: 0,
    probeScore: 0,
  };
}

/** Adds a member; returns the term ids that are new to the story (for the postings). */
export function addMember(story: StoryState, member: Member, vocab: Vocabulary): number[] {
  story.members.push(member);
  story.firstSeen = Math.min(story.firstSeen, member.published);
  story.lastSeen = Math.max(story.lastSeen, member.published);
  if (member.copyOf) return [];
  if (member.outlet) story.outlets.set(member.outlet, (story.outlets.get(member.outlet) ?? 0) + 1);
  const added: number[] = [];
  const { ids, weights } = member.vector;
  const rawNorm = Math.sqrt(weights.reduce((s, w) => s + w * w, 0)) || 1;
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!;
    if (addTermSum(story.sums, id, weights[i]! / rawNorm) === 0) added.push(id);
    story.grownTerms.add(id);
    const idf = vocab.idf(id);
    const w = story.sums.weights[story.sums.lastSlot]!;
    story.normSq += idf * idf * (w * w - story.sums.lastWeight ** 2);
  }
  return added;
}

/**
 * Moves every member of `from` into `into`; returns the term ids new to `into`. The norm grows by the
 * terms moved, as addMember does it: recomputing it whole made every merge into a long-running story
 * cost that story's whole vocabulary.
 */
export function absorbStory(into: StoryState, from: StoryState, vocab: Vocabulary): number[] {
  const added: number[] = [];
  for (let i = 0; i < from.sums.size; i++) {
    const id = from.sums.ids[i]!;
    if (addTermSum(into.sums, id, from.sums.values[i]!) === 0) added.push(id);
    const idf = vocab.idf(id);
    const w = into.sums.weights[into.sums.lastSlot]!;
    into.normSq += idf * idf * (w * w - into.sums.lastWeight ** 2);
  }
  for (const id of [...from.topTerms, ...from.grownTerms]) into.grownTerms.add(id);
  for (const [outlet, n] of from.outlets) into.outlets.set(outlet, (into.outlets.get(outlet) ?? 0) + n);
  for (const m of from.members) into.members.push(m);
  into.firstSeen = Math.min(into.firstSeen, from.firstSeen);
  into.lastSeen = Math.max(into.lastSeen, from.lastSeen);
  return added;
}

/** The centroid norm under the current idf, recomputed when the corpus has grown by a quarter since. */
export function centroidNorm(story: StoryState, vocab: Vocabulary): number {
  if (vocab.documents > story.normDocuments * 1.25 + 10) refreshNorm(story, vocab);
  return Math.sqrt(Math.max(story.normSq, 1e-12));
}

/**
 * Norm of the sum of the members' tf-idf vectors over the sum of their norms: 1 when every member says
 * the same, lower as they diverge (a mixture of events). Recomputed when the story has grown a quarter.
 */
export function coherence(story: StoryState, vocab: Vocabulary): number {
  if (story.members.length <= story.coherenceMembers * 1.25) return story.coherence;
  let plain = 0;
  const { ids, values } = story.sums;
  for (let i = 0; i < story.sums.size; i++) plain += (values[i]! * vocab.idf(ids[i]!)) ** 2;
  let normSum = 0;
  for (const m of story.members) {
    if (m.copyOf) continue;
    const { ids: mi, weights } = m.vector;
    const raw = Math.sqrt(weights.reduce((s, w) => s + w * w, 0)) || 1;
    let sq = 0;
    for (let i = 0; i < mi.length; i++) sq += ((weights[i]! / raw) * vocab.idf(mi[i]!)) ** 2;
    normSum += Math.sqrt(sq);
  }
  story.coherence = normSum > 0 ? Math.min(1, Math.sqrt(plain) / normSum) : 1;
  story.coherenceMembers = story.members.length;
  return story.coherence;
}

function refreshNorm(story: StoryState, vocab: Vocabulary): void {
  let sq = 0;
  const { ids, weights } = story.sums;
  for (let i = 0; i < story.sums.size; i++) sq += (weights[i]! * vocab.idf(ids[i]!)) ** 2;
  story.normSq = sq;
  story.normDocuments = vocab.documents;
}

/** Dot product of an item with the story centroid; `weighted` holds the item's unit tf-idf values times idf. */
export function dotWithCentroid(story: StoryState, ids: readonly number[], weighted: readonly number[]): number {
  let dot = 0;
  for (let i = 0; i < ids.length; i++) {
    const s = termWeight(story.sums, ids[i]!);
    if (s !== undefined) dot += weighted[i]! * s;
  }
  return dot;
}

/** Independent outlets covering the story. */
export function outletCount(story: StoryState): number {
  return story.outlets.size;
}
