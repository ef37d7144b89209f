// Small builders for the pure story tests.
import type { StoryItem } from '../../src/stories/group/assign.js';

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
export const T0 = Date.UTC(2025, 4, 5, 8, 0, 0);

let counter = 0;

/** An item with a fresh key, published `hours` after T0. */
export function item(title: string, hours = 0, extra: Partial<StoryItem> = {}): StoryItem {
  counter++;
  return {
    key: `i${counter}`,
    title,
    summary: null,
    url: `https://news.example/${counter}`,
    outlet: `Outlet ${counter}`,
    published: T0 + hours * HOUR,
    ...extra,
  };
}
