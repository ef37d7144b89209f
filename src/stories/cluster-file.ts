// `storyline cluster`: the online grouping over a JSON-lines file, no database. Input lines are
// {id, title, summary?, url?, outlet?, published} (published as ISO 8601 or epoch ms); output lines {id, story}.
import fs from 'node:fs/promises';
import { InvalidInputError } from '../errors.js';
import { groupItems, type GroupOptions } from './group-items.js';
import type { StoryItem } from './story-index.js';

export interface ClusterFileResult {
  items: number;
  stories: number;
  ms: number;
}

/** Reads items, groups them as the worker would, writes one {id, story} line per item in input order. */
export async function runClusterFile(inputPath: string, outputPath: string, options: GroupOptions = {}): Promise<ClusterFileResult> {
  const { items, ids } = parseClusterInput(await fs.readFile(inputPath, 'utf8'), inputPath);
  const started = performance.now();
  const grouped = groupItems(items, options);
  const ms = Math.round(performance.now() - started);
  const storyOf = new Map(grouped.items.map((g) => [g.key, g.story]));
  const lines = items.map((item) => JSON.stringify({ id: ids.get(item.key), story: storyOf.get(item.key) }));
  await fs.writeFile(outputPath, lines.length ? `${lines.join('\n')}\n` : '');
  return { items: items.length, stories: grouped.stories, ms };
}

/** Parses the JSON-lines input; item keys are the ids as strings, the original ids kept for output. */
export function parseClusterInput(text: string, source = 'input'): { items: StoryItem[]; ids: Map<string, string | number> } {
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
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) throw new InvalidInputError(`${where}: not a JSON object`);
  const { id, title, summary, url, outlet, published } = obj;
  if (typeof id !== 'string' && typeof id !== 'number') throw new InvalidInputError(`${where}: needs a string or number "id"`);
  if (typeof title !== 'string') throw new InvalidInputError(`${where}: needs a string "title"`);
  const time = typeof published === 'number' ? published : typeof published === 'string' ? Date.parse(published) : NaN;
  if (!Number.isFinite(time)) throw new InvalidInputError(`${where}: "published" must be ISO 8601 or epoch milliseconds`);
  return {
    key: String(id),
    title,
    summary: typeof summary === 'string' ? summary : null,
    url: typeof url === 'string' ? url : null,
    outlet: typeof outlet === 'string' ? outlet : null,
    published: time,
  };
}
