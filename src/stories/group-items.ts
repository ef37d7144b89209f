// The online algorithm over a stream of items, as the worker runs it: items in published order, each
// assigned as it arrives, with the consolidation pass run every hour of item time and once at the end.
import { consolidateIndex } from './consolidate.js';
import type { GroupingOptions } from './options.js';
import { StoryIndex, type AssignReason, type StoryItem } from './story-index.js';

export interface GroupOptions extends Partial<GroupingOptions> {
  /** Item time between consolidation passes (the service runs one hourly). */
  consolidateEveryMs?: number;
}

export interface GroupedItem {
  key: string;
  /** Story at assignment time; `OnlineGrouping.storyOf` gives the story after later merges. */
  story: number;
  reason: AssignReason;
  score: number;
  copyOf: string | null;
}

/** Items pushed in published order; consolidation runs as item time passes each interval. */
export class OnlineGrouping {
  readonly index: StoryIndex;
  private readonly every: number;
  private nextConsolidation = -Infinity;
  private lastTime = -Infinity;
  merges = 0;

  constructor(options: GroupOptions = {}) {
    const { consolidateEveryMs = 3_600_000, ...grouping } = options;
    this.index = new StoryIndex(grouping);
    this.every = consolidateEveryMs;
  }

  push(item: StoryItem): GroupedItem {
    this.lastTime = Math.max(this.lastTime, item.published);
    if (item.published >= this.nextConsolidation) {
      if (Number.isFinite(this.nextConsolidation)) this.merges += consolidateIndex(this.index, item.published).length;
      this.nextConsolidation = item.published + this.every;
    }
    const a = this.index.assign(item, this.lastTime);
    return { key: item.key, story: a.storyKey, reason: a.reason, score: a.score, copyOf: a.copyOf };
  }

  /** The consolidation pass the service would run after the last item. */
  finish(): void {
    if (Number.isFinite(this.lastTime)) this.merges += consolidateIndex(this.index, this.lastTime).length;
  }

  storyOf(key: number): number {
    return this.index.resolve(key);
  }
}

/** Sorts by publication time (stable: input order breaks ties), the order the service would see. */
export function sortByPublished<T extends { published: number }>(items: readonly T[]): T[] {
  return items
    .map((item, i) => ({ item, i }))
    .sort((a, b) => a.item.published - b.item.published || a.i - b.i)
    .map((x) => x.item);
}

/** Groups items online; returns one entry per item (in processing order) with its final story. */
export function groupItems(items: readonly StoryItem[], options: GroupOptions = {}): { items: GroupedItem[]; stories: number; merges: number } {
  const grouping = new OnlineGrouping(options);
  const out = sortByPublished(items).map((item) => grouping.push(item));
  grouping.finish();
  const stories = new Set<number>();
  for (const g of out) {
    g.story = grouping.storyOf(g.story);
    stories.add(g.story);
  }
  return { items: out, stories: stories.size, merges: grouping.merges };
}
