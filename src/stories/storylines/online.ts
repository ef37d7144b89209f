// Storyline linking over a stream, as the worker and `storyline cluster --level storylines` both run it:
// a story is linked when it is created, grown stories are linked again once per hour of item time, and
// consolidation's story merges carry their storylines along. The calls come at the same points of the
// item stream in both, so the same items in the same order give the same storylines.
import type { StoryMerge } from '../consolidate.js';
import type { StoryIndex } from '../story-index.js';
import { storyProfile } from './profile.js';
import { StorylineIndex } from './storyline-index.js';
import type { StorylineOptions } from './options.js';

export class OnlineStorylines {
  readonly index: StorylineIndex;
  /** Every story linked so far and its storyline then (follow `index.resolve` for merges since). */
  readonly linked = new Map<number, number>();
  private readonly grown = new Set<number>();
  private lastPass = -Infinity;

  constructor(options: Partial<StorylineOptions> = {}) {
    this.index = new StorylineIndex(options);
  }

  /** Consolidation merged these stories (the merges `OnlineGrouping.advance` returned). */
  noteMerges(merges: readonly StoryMerge[]): void {
    for (const m of merges) {
      this.index.mergeStory(m.into, m.from);
      const line = this.linked.get(m.into);
      if (line !== undefined) this.linked.set(m.from, line);
      this.grown.delete(m.from);
      this.grown.add(m.into);
    }
  }

  /** Links again the stories grown since the last pass, when item time has entered a new pass period. */
  relinkGrown(stories: StoryIndex, now: number): void {
    const period = Math.floor(now / this.index.options.relinkEveryMs);
    if (period <= this.lastPass) return;
    this.lastPass = period;
    for (const key of [...this.grown].sort((a, b) => a - b)) this.linkNow(stories, key, now);
    this.grown.clear();
  }

  /** An item was applied to a story: a new story is linked now, a grown one at the next pass. */
  noteItem(stories: StoryIndex, storyKey: number, isNew: boolean, now: number): void {
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

  private linkNow(stories: StoryIndex, storyKey: number, now: number): void {
    const story = stories.story(storyKey);
    if (story) this.linked.set(storyKey, this.index.link(storyProfile(stories, story, this.index.options), now).storyline);
  }
}
