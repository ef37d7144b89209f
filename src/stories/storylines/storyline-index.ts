// Storyline linking: each story is compared with the active storylines found through postings from its
// keys (topics, distinctive terms) to storylines, and joins the most similar or starts a storyline of
// its own. Keys are weighted by inverse story frequency, so a topic in every other story (Donald Trump,
// the United States) barely counts: a storyline is a situation, not a beat. Pure: time is passed in.
import { HOUR } from '../group/options.js';
import { storylineOptions, type StorylineOptions } from './options.js';
import { TOPIC_PREFIX, type StoryProfile } from './profile.js';
import { storylineTitle } from './title.js';

/** One storyline as the index holds it: its stories' profiles summed. */
export interface StorylineState {
  key: number;
  /** Story keys, in the order they joined. */
  stories: number[];
  sums: Map<string, number>;
  firstSeen: number;
  lastSeen: number;
  /** The norm of the idf-weighted sums, and the story count it was computed at (-1: stale). */
  norm: number;
  normStories: number;
}

/** Storyline `from` was absorbed by `into`; `from` keeps resolving to `into`. */
export interface StorylineMerge {
  from: number;
  into: number;
}

/** What a link decided: the storyline the story is in now, and the merge it caused, if any. */
export interface LinkResult {
  storyline: number;
  score: number;
  merge: StorylineMerge | null;
}

export class StorylineIndex {
  readonly options: StorylineOptions;
  private readonly lines = new Map<number, StorylineState>();
  private readonly profiles = new Map<number, StoryProfile>();
  private readonly lineOfStory = new Map<number, number>();
  private readonly postings = new Map<string, Set<number>>();
  /** Stories (of active storylines) carrying each key. */
  private readonly df = new Map<string, number>();
  private readonly mergedInto = new Map<number, number>();
  /** Topic keys some story named as a place (a key's kind never changes). */
  private readonly places = new Set<string>();
  /** Stories alone in their storyline and not yet past loneRelinkMs (see loneStories). */
  private readonly alone = new Set<number>();
  private lastPrune = -Infinity;

  constructor(options: Partial<StorylineOptions> = {}) {
    this.options = storylineOptions(options);
  }

  /**
   * Links a story, new or grown. A new story joins the best storyline above the threshold or starts its
   * own (keyed by the story's key, so ids need no allocation). A grown story keeps its storyline, except
   * that a storyline of that story alone merges into a storyline it now clearly belongs to.
   */
  link(profile: StoryProfile, now: number): LinkResult {
    this.pruneQuiet(now);
    const current = this.lineOfStory.get(profile.storyKey);
    if (current !== undefined) {
      const line = this.lines.get(current)!;
      this.removeProfile(line, profile.storyKey);
      this.addProfile(line, profile);
      // The storyline as a whole is compared: a storyline of several stories merges only when clearly one situation.
      const best = this.best(lineQuery(line), current);
      const need = line.stories.length > 1 ? this.options.mergeThreshold : this.options.relinkThreshold;
      if (!best || best.score < need) return { storyline: current, score: best?.score ?? 0, merge: null };
      const [into, from] = this.survivorFirst(best.key, current);
      return { storyline: into, score: best.score, merge: this.mergeLines(into, from) };
    }
    const best = this.best(profile);
    const key = best?.key ?? profile.storyKey;
    let line = this.lines.get(key);
    if (!line)
      this.lines.set(
        key,
        (line = {
          key,
          stories: [],
          sums: new Map(),
          firstSeen: profile.firstSeen,
          lastSeen: profile.lastSeen,
          norm: 0,
          normStories: -1,
        }),
      );
    this.addProfile(line, profile);
    return { storyline: key, score: best?.score ?? 0, merge: null };
  }

  /** Story `from` was merged into story `into`: its storyline joins `into`'s (consolidation found them one event). */
  mergeStory(into: number, from: number): StorylineMerge | null {
    const lf = this.lineOfStory.get(from);
    const li = this.lineOfStory.get(into);
    if (lf === undefined) return null;
    const fromLine = this.lines.get(lf)!;
    this.removeProfile(fromLine, from);
    if (li !== undefined && li !== lf) return this.mergeLines(li, lf);
    if (fromLine.stories.length === 0) this.lines.delete(lf);
    return null;
  }

  /**
   * Stories alone in their storyline whose first item is within loneRelinkMs of now, in key order: a story
   * linked before its situation had formed gets linked again while the situation gathers stories. Older
   * ones leave the set (a storyline shrinking back to one story puts its story back, to leave at the next call).
   */
  loneStories(now: number): number[] {
    const out: number[] = [];
    for (const s of this.alone) {
      const age = now - this.profiles.get(s)!.firstSeen;
      if (age > this.options.loneRelinkMs) this.alone.delete(s);
      else if (isCheckpoint(Math.floor(age / this.options.relinkEveryMs))) out.push(s);
    }
    return out.sort((a, b) => a - b);
  }

  /** The storyline a story is in, if the story is known. */
  storylineOf(storyKey: number): number | undefined {
    return this.lineOfStory.get(storyKey);
  }

  /** The storyline a key now stands for, following merges. */
  resolve(key: number): number {
    let k = key;
    for (let next = this.mergedInto.get(k); next !== undefined; next = this.mergedInto.get(k)) k = next;
    return k;
  }

  /** A storyline's title: the topics its stories share, else its largest story's headline. */
  title(key: number): string {
    const line = this.lines.get(key);
    return line ? storylineTitle(line.stories.flatMap((s) => this.profiles.get(s) ?? [])) : '';
  }

  /** Storylines with no story seen for `quietAfterMs` leave the index (checked at most hourly). */
  pruneQuiet(now: number): void {
    if (now - this.lastPrune < HOUR) return;
    this.lastPrune = now;
    for (const line of [...this.lines.values()]) {
      if (line.lastSeen >= now - this.options.quietAfterMs) continue;
      for (const s of [...line.stories]) {
        this.removeProfile(line, s);
        this.lineOfStory.delete(s);
      }
      this.lines.delete(line.key);
    }
  }

  // The larger storyline absorbs the smaller (the older on a tie): the id most readers have seen stays.
  private survivorFirst(a: number, b: number): [number, number] {
    const la = this.lines.get(a)!.stories.length;
    const lb = this.lines.get(b)!.stories.length;
    return la > lb || (la === lb && a < b) ? [a, b] : [b, a];
  }

  // The storyline the query is most similar to, above the threshold, excluding `except`.
  private best(p: Query, except?: number): { key: number; score: number } | null {
    const idf = p.keys.map((k) => this.idf(k));
    let norm = 0;
    for (let i = 0; i < p.keys.length; i++) norm += (p.weights[i]! * idf[i]!) ** 2;
    norm = Math.sqrt(norm) || 1;
    let best: { key: number; score: number } | null = null;
    for (const key of this.candidates(p, idf, except)) {
      const line = this.lines.get(key)!;
      let dot = 0;
      const shared: string[] = [];
      for (let i = 0; i < p.keys.length; i++) {
        const w = line.sums.get(p.keys[i]!);
        if (w === undefined) continue;
        dot += p.weights[i]! * idf[i]! * idf[i]! * w;
        if (this.isDistinctive(p.keys[i]!)) shared.push(p.keys[i]!);
      }
      if (countThings(shared, this.places) < this.options.minSharedKeys) continue;
      const score = (dot / norm / this.lineNorm(line)) * this.sizeBonus(line) * this.decay(line, p);
      if (score < this.options.linkThreshold) continue;
      if (!best || score > best.score || (score === best.score && key < best.key)) best = { key, score };
    }
    return best;
  }

  // Storylines sharing the profile's less common keys, most shared idf mass first, at most maxCandidates.
  private candidates(p: Query, idf: number[], except?: number): number[] {
    const mass = new Map<number, number>();
    for (let i = 0; i < p.keys.length; i++) {
      if (!this.isDistinctive(p.keys[i]!)) continue;
      for (const line of this.postings.get(p.keys[i]!) ?? [])
        if (line !== except) mass.set(line, (mass.get(line) ?? 0) + idf[i]!);
    }
    return [...mass]
      .sort((a, b) => b[1] - a[1] || a[0] - b[0])
      .slice(0, this.options.maxCandidates)
      .map(([k]) => k);
  }

  // A key carried by few enough stories to mark a situation (early on, with few stories, any key).
  private isDistinctive(key: string): boolean {
    return (this.df.get(key) ?? 0) <= Math.max(3, this.options.maxKeyShare * this.profiles.size);
  }

  // Inverse story frequency: log of stories over stories with the key; 0 for a key every story has.
  private idf(key: string): number {
    const n = this.profiles.size + 1;
    return Math.log((n + 1) / ((this.df.get(key) ?? 0) + 1));
  }

  // Recomputed when the storyline changed or the stories counted grew a tenth since.
  private lineNorm(line: StorylineState): number {
    if (line.normStories >= 0 && this.profiles.size <= line.normStories * 1.1) return line.norm;
    let sq = 0;
    for (const [k, w] of line.sums) sq += (w * this.idf(k)) ** 2;
    line.norm = Math.sqrt(sq) || 1;
    line.normStories = this.profiles.size;
    return line.norm;
  }

  // An established storyline's centroid is spread over its developments (see lineSizeBonus).
  private sizeBonus(line: StorylineState): number {
    return 1 + this.options.lineSizeBonus * Math.log(Math.max(1, line.stories.length));
  }

  // 1 while the story falls within the grace time of the storyline's span, then halving every half-life.
  private decay(line: StorylineState, p: Query): number {
    const gap =
      p.firstSeen > line.lastSeen
        ? p.firstSeen - line.lastSeen
        : p.lastSeen < line.firstSeen
          ? line.firstSeen - p.lastSeen
          : 0;
    const over = gap - this.options.decayGraceMs;
    return over > 0 ? 0.5 ** (over / this.options.decayHalfLifeMs) : 1;
  }

  private addProfile(line: StorylineState, p: StoryProfile): void {
    line.stories.push(p.storyKey);
    line.normStories = -1;
    line.firstSeen = Math.min(line.firstSeen, p.firstSeen);
    line.lastSeen = Math.max(line.lastSeen, p.lastSeen);
    for (let i = 0; i < p.keys.length; i++) {
      const k = p.keys[i]!;
      if (!line.sums.has(k)) this.post(k, line.key);
      line.sums.set(k, (line.sums.get(k) ?? 0) + p.weights[i]!);
      this.df.set(k, (this.df.get(k) ?? 0) + 1);
    }
    for (const k of p.places) this.places.add(k);
    this.profiles.set(p.storyKey, p);
    this.lineOfStory.set(p.storyKey, line.key);
    this.noteAlone(line);
  }

  // Keeps `alone` to the stories of one-story storylines (loneStories drops the old ones).
  private noteAlone(line: StorylineState): void {
    if (line.stories.length === 1) this.alone.add(line.stories[0]!);
    else if (line.stories.length === 2) for (const s of line.stories) this.alone.delete(s);
  }

  private removeProfile(line: StorylineState, storyKey: number): void {
    const p = this.profiles.get(storyKey);
    const at = line.stories.indexOf(storyKey);
    if (!p || at < 0) return;
    line.stories.splice(at, 1);
    line.normStories = -1;
    for (let i = 0; i < p.keys.length; i++) {
      const k = p.keys[i]!;
      const left = (line.sums.get(k) ?? 0) - p.weights[i]!;
      if (left > 1e-9) line.sums.set(k, left);
      else {
        line.sums.delete(k);
        this.postings.get(k)?.delete(line.key);
      }
      const df = (this.df.get(k) ?? 1) - 1;
      if (df > 0) this.df.set(k, df);
      else this.df.delete(k);
    }
    this.profiles.delete(storyKey);
    this.lineOfStory.delete(storyKey);
    this.alone.delete(storyKey);
    this.noteAlone(line);
  }

  // Moves every story of `fromKey` into `intoKey`, records the merge; an empty `from` just goes.
  private mergeLines(intoKey: number, fromKey: number): StorylineMerge {
    const from = this.lines.get(fromKey)!;
    const into = this.lines.get(intoKey)!;
    for (const s of [...from.stories]) {
      const p = this.profiles.get(s)!;
      this.removeProfile(from, s);
      this.addProfile(into, p);
    }
    this.lines.delete(fromKey);
    this.mergedInto.set(fromKey, intoKey);
    return { from: fromKey, into: intoKey };
  }

  /** The profile a story was last linked with, while the index holds it. */
  profile(storyKey: number): StoryProfile | undefined {
    return this.profiles.get(storyKey);
  }

  /** Puts a story back into a storyline by the storyline's stored id (see OnlineStorylines.restore). */
  restore(profile: StoryProfile, lineKey: number): void {
    if (this.lineOfStory.has(profile.storyKey)) return;
    let line = this.lines.get(lineKey);
    if (!line)
      this.lines.set(
        lineKey,
        (line = {
          key: lineKey,
          stories: [],
          sums: new Map(),
          firstSeen: profile.firstSeen,
          lastSeen: profile.lastSeen,
          norm: 0,
          normStories: -1,
        }),
      );
    this.addProfile(line, profile);
  }

  private post(key: string, line: number): void {
    let set = this.postings.get(key);
    if (!set) this.postings.set(key, (set = new Set()));
    set.add(line);
  }
}

// Passes 1, 2, 4, 8… after a story's first item: a few looks while its situation forms, not one each pass.
function isCheckpoint(pass: number): boolean {
  return pass > 0 && (pass & (pass - 1)) === 0;
}

/** What is compared with storylines: a story's profile, or a storyline's own sums. */
type Query = Pick<StoryProfile, 'keys' | 'weights' | 'firstSeen' | 'lastSeen'>;

function lineQuery(line: StorylineState): Query {
  return {
    keys: [...line.sums.keys()],
    weights: [...line.sums.values()],
    firstSeen: line.firstSeen,
    lastSeen: line.lastSeen,
  };
}

// Word stems of a key: "t:pope leo xiv" → pope, leo, xiv; "w:cardinal_vote" → card, vote (four letters, so plurals meet).
function keyStems(key: string): string[] {
  return key
    .slice(2)
    .split(/[ _]/)
    .map((w) => w.slice(0, 4));
}

/**
 * How many things the shared keys name: each topic other than a place, all places together as one (Russia
 * and Ukraine in common is a beat; what they share beyond it makes the situation), and each term saying more
 * than the topics do ("pakistan", "pakistani" add nothing to the topic Pakistan; "smoke" adds to Conclave).
 */
export function countThings(keys: readonly string[], places: ReadonlySet<string> = new Set()): number {
  const topicStems = new Set(keys.filter((k) => k.startsWith(TOPIC_PREFIX)).flatMap(keyStems));
  let n = 0;
  let hasPlace = false;
  for (const k of keys) {
    if (places.has(k)) hasPlace = true;
    else if (k.startsWith(TOPIC_PREFIX) || keyStems(k).some((w) => !topicStems.has(w))) n++;
  }
  return n + (hasPlace ? 1 : 0);
}
