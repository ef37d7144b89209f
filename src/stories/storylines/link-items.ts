// Items → stories → storylines with no database, as the worker does it (see online.ts).
import { OnlineGrouping, sortByPublished } from '../group/group-items.js';
import type { GroupingOptions } from '../group/options.js';
import type { StoryItem } from '../group/assign.js';
import { OnlineStorylines } from './online.js';
import type { StorylineOptions } from './options.js';

export interface LinkedItem {
  key: string;
  story: number;
  storyline: number;
}

/** Groups items online and links their stories; one entry per item (in processing order) with its final story and storyline. */
export function linkItems(
  items: readonly StoryItem[],
  options: Partial<GroupingOptions> = {},
  lineOptions: Partial<StorylineOptions> = {},
): { items: LinkedItem[]; stories: number; storylines: number } {
  const grouping = new OnlineGrouping(options);
  const lines = new OnlineStorylines(lineOptions);
  const pushed = sortByPublished(items).map((item) => {
    lines.noteMerges(grouping.advance(item.published));
    const now = grouping.clock.clock;
    lines.relinkGrown(grouping.index, now);
    const a = grouping.index.assign(item, now);
    lines.noteItem(grouping.index, a.storyKey, a.reason === 'new-story', now);
    return { key: item.key, story: a.storyKey };
  });
  const out = pushed.map(({ key, story }) => {
    const final = grouping.storyOf(story);
    return { key, story: final, storyline: lines.storylineOf(final) ?? lines.storylineOf(story) ?? final };
  });
  return {
    items: out,
    stories: new Set(out.map((x) => x.story)).size,
    storylines: new Set(out.map((x) => x.storyline)).size,
  };
}
