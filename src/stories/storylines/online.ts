// Storyline linking over a stream, as the worker and `storyline cluster --level storylines` both run it:
// a story is linked when it is created, grown stories are linked again once per hour of item time, and
// consolidation's story merges carry their storylines along. The calls come at the same points of the
// item stream in both, so the same items in the same order give the same storylines. Stories alone in their
// storyline are linked again at a few passes too, while their situation may still be forming (loneRelinkMs).
import type { StoryMerge } from '../group/consolidate.js';
import type { StoryAssigner } from '../group/assign.js';
import { storyProfile, type StoryProfile } from './profile.js';
import { StorylineIndex, type StorylineMerge } from './storyline-index.js';
import type { StorylineOptions } from './options.js';

/** What changed since the last `takeChanges`: stories (re)linked, and storylines merged into others. */
export interface StorylineChanges {
  stories: number[];
  merges: StorylineMerge[];
}

export class OnlineStorylines {
  readonly index: StorylineIndex;
  /** Every story linked so far and its storyline then (follow `index.resolve` for merges since). */
  readonly linked = new Map<number, number>();
  private readonly grown = new Set<number>();
  private lastPass = -Infinity;
  // The story writer stores these after each batch; the standalone command never reads them.
  private changedStories = new Set<number>();
  private merges: StorylineMerge[] = [];

  constructor(options: Partial<StorylineOptions> = {}) {
    this.index = new StorylineIndex(options);
  }

  /** Consolidation merged these stories (the merges `OnlineGrouping.advance` returned). */
  noteMerges(merges: readonly StoryMerge[]): void {
    for (const m of merges) {
      const merge = this.index.mergeStory(m.into, m.from);
      if (merge) this.merges.push(merge);
      const line = this.linked.get(m.into);
      if (line !== undefined) this.linked.set(m.from, line);
      this.grown.delete(m.from);
      this.grown.add(m.into);
    }
  }

  /** Links again the stories grown since the last pass, when item time has entered a new pass period. */
  relinkGrown(stories: StoryAssigner, now: number): void {
    const period = Math.floor(now / this.index.options.relinkEveryMs);
    if (period <= this.lastPass) return;
    this.lastPass = period;
    for (const key of this.index.loneStories(now)) this.grown.add(key);
    for (const key of [...this.grown].sort((a, b) => a - b)) this.linkNow(stories, key, now);
    this.grown.clear();
  }

  /** An item was applied to a story: a new story is linked now, a grown one at the next pass. */
  noteItem(stories: StoryAssigner, storyKey: number, isNew: boolean, now: number): void {
    if (!isNew && this.index.storylineOf(storyKey) !== undefined) {
      this.grown.add(storyKey);
      return;
    }
    this.linkNow(stories, storyKey, now);
  }

  /** The storyline a story is in now, if it was ever linked. */
  storylineOf(storyKey: number): number | undefined {
    const line = this.linked.get(storyKey);
    return line === undefined ? undefined : this.index.resolve(line);
  }

  /**
   * Puts a story back in the storyline the database says it is in (a process rebuilding its index after
   * another process's work), with the profile it was last linked with when that was stored (what the
   * linking process holds), else read now; a story the database has no storyline for is linked as a new
   * one would be.
   */
  restore(
    stories: StoryAssigner,
    storyKey: number,
    storyline: number | null,
    now: number,
    profile?: StoryProfile,
  ): void {
    const story = stories.story(storyKey);
    if (!story) return;
    if (storyline === null) return this.linkNow(stories, storyKey, now);
    this.index.restore(profile ?? storyProfile(stories, story, this.index.options), storyline);
    this.linked.set(storyKey, storyline);
  }

  /** The stories linked and storylines merged since the last call. */
  takeChanges(): StorylineChanges {
    const changes = { stories: [...this.changedStories].sort((a, b) => a - b), merges: this.merges };
    this.changedStories = new Set();
    this.merges = [];
    return changes;
  }

  private linkNow(stories: StoryAssigner, storyKey: number, now: number): void {
    const story = stories.story(storyKey);
    if (!story) return;
    const result = this.index.link(storyProfile(stories, story, this.index.options), now);
    this.linked.set(storyKey, result.storyline);
    this.changedStories.add(storyKey);
    if (result.merge) this.merges.push(result.merge);
  }
}
