// The online algorithm over a stream of items, as the worker runs it: items in published order, each
// assigned as it arrives, with the consolidation pass run every hour of item time. The clock is item
// time (the newest item seen, never past now), so replaying a past week groups it as it was grouped live.
import { consolidateIndex, type StoryMerge } from './consolidate.js';
import { groupingOptions, type GroupingOptions } from './options.js';
import { StoryAssigner, type AssignReason, type StoryItem } from './assign.js';

export interface GroupedItem {
  key: string;
  /** Story at assignment time; `OnlineGrouping.storyOf` gives the story after later merges. */
  story: number;
  reason: AssignReason;
  score: number;
  copyOf: string | null;
}

/** Where a stream stands in item time: the newest item seen and when consolidation is next due. */
export interface GroupingClock {
  /** Epoch ms of the newest item seen (capped at now), -Infinity before any. */
  clock: number;
  /** Consolidation runs once the clock reaches this; -Infinity before the first item. */
  nextConsolidation: number;
}

/** Items pushed in published order; consolidation runs as item time passes each interval. */
export class OnlineGrouping {
  readonly index: StoryAssigner;
  private readonly every: number;
  private time: GroupingClock = { clock: -Infinity, nextConsolidation: -Infinity };
  merges = 0;

  constructor(options: Partial<GroupingOptions> = {}) {
    this.index = new StoryAssigner(options);
    this.every = groupingOptions(options).consolidateEveryMs;
  }

  get clock(): GroupingClock {
    return { ...this.time };
  }

  /** Resumes from a stored clock (another process's, or this one's before a restart). */
  setClock(clock: GroupingClock): void {
    this.time = { ...clock };
  }

  /**
   * Moves item time to an arriving item's publication (never past `now`, never back) and runs the
   * consolidation pass when it is due; returns its merges for the caller to record.
   */
  advance(published: number, now = Infinity): StoryMerge[] {
    const clock = Math.min(now, Math.max(this.time.clock, published));
    this.time.clock = clock;
    if (clock < this.time.nextConsolidation) return [];
    const due = Number.isFinite(this.time.nextConsolidation);
    this.time.nextConsolidation = clock + this.every;
    if (!due) return [];
    const merges = consolidateIndex(this.index, clock);
    this.merges += merges.length;
    return merges;
  }

  /** Advances the clock for an item and assigns it (as `storyline cluster` does, with no database). */
  push(item: StoryItem): GroupedItem {
    this.advance(item.published);
    const a = this.index.assign(item, this.time.clock);
    return { key: item.key, story: a.storyKey, reason: a.reason, score: a.score, copyOf: a.copyOf };
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
export function groupItems(
  items: readonly StoryItem[],
  options: Partial<GroupingOptions> = {},
): { items: GroupedItem[]; stories: number; merges: number } {
  const grouping = new OnlineGrouping(options);
  const out = sortByPublished(items).map((item) => grouping.push(item));
  const stories = new Set<number>();
  for (const g of out) {
    g.story = grouping.storyOf(g.story);
    stories.add(g.story);
  }
  return { items: out, stories: stories.size, merges: grouping.merges };
}
