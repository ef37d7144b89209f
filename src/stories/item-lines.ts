// The JSON-lines format of `storyline cluster`, and the grouping over it (no file, no database). Input
// lines are {id, title, summary?, url?, outlet?, published} (published as ISO 8601 or epoch ms); output
// lines {id, story}, the story being the item's story or, at the storylines level, its storyline (so one
// evaluator scores both).
import { InvalidInputError } from '../errors.js';
import { groupItems } from './group/group-items.js';
import type { GroupingOptions } from './group/options.js';
import type { StoryItem } from './group/assign.js';
import { linkItems } from './storylines/link-items.js';
import type { StorylineOptions } from './storylines/options.js';

/** What `storyline cluster` writes as each item's group. */
export type GroupLevel = 'stories' | 'storylines';

export interface GroupedLines {
  items: number;
  stories: number;
  /** Storylines, at the storylines level. */
  storylines?: number;
  /** One {id, story} JSON line per item, in input order. */
  lines: string[];
}

export interface ItemLinesOptions extends Partial<GroupingOptions> {
  level?: GroupLevel;
  storylines?: Partial<StorylineOptions>;
}

/** Groups (and at the storylines level links) the items as the worker would: one {id, story} line per item. */
export function groupItemLines(
  items: readonly StoryItem[],
  ids: ReadonlyMap<string, string | number>,
  options: ItemLinesOptions = {},
): GroupedLines {
  const { level = 'stories', storylines: lineOptions, ...grouping } = options;
  let groupOf: Map<string, number>;
  let counts: Omit<GroupedLines, 'lines'>;
  if (level === 'storylines') {
    const linked = linkItems(items, grouping, lineOptions);
    groupOf = new Map(linked.items.map((g) => [g.key, g.storyline]));
    counts = { items: items.length, stories: linked.stories, storylines: linked.storylines };
  } else {
    const grouped = groupItems(items, grouping);
    groupOf = new Map(grouped.items.map((g) => [g.key, g.story]));
    counts = { items: items.length, stories: grouped.stories };
  }
  const lines = items.map((item) => JSON.stringify({ id: ids.get(item.key), story: groupOf.get(item.key) }));
  return { ...counts, lines };
}

/** Parses the JSON-lines input; item keys are the ids as strings, the original ids kept for output. */
export function parseItemLines(
  text: string,
  source = 'input',
): { items: StoryItem[]; ids: Map<string, string | number> } {
  const items: StoryItem[] = [];
  const ids = new Map<string, string | number>();
  text.split('\n').forEach((raw, n) => {
    const line = raw.trim();
    if (!line) return;
    const where = `cluster: ${source}:${n + 1}`;
    let obj: Record<string, unknown>;
    try {
      obj = JSON.parse(line) as Record<string, unknown>;
    } catch (err) {
      throw new InvalidInputError(`${where}: not JSON (${(err as Error).message})`);
    }
    const item = toStoryItem(obj, where);
    if (ids.has(item.key)) throw new InvalidInputError(`${where}: duplicate id ${item.key}`);
    ids.set(item.key, obj.id as string | number);
    items.push(item);
  });
  return { items, ids };
}

function toStoryItem(obj: Record<string, unknown>, where: string): StoryItem {
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj))
    throw new InvalidInputError(`${where}: not a JSON object`);
  const { id, title, summary, url, outlet, published } = obj;
  if (typeof id !== 'string' && typeof id !== 'number')
    throw new InvalidInputError(`${where}: needs a string or number "id"`);
  if (typeof title !== 'string') throw new InvalidInputError(`${where}: needs a string "title"`);
  const time = typeof published === 'number' ? published : typeof published === 'string' ? Date.parse(published) : NaN;
  if (!Number.isFinite(time))
    throw new InvalidInputError(`${where}: "published" must be ISO 8601 or epoch milliseconds`);
  return {
    key: String(id),
    title,
    summary: typeof summary === 'string' ? summary : null,
    url: typeof url === 'string' ? url : null,
    outlet: typeof outlet === 'string' ? outlet : null,
    published: time,
  };
}
