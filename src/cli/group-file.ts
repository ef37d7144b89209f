// `storyline cluster`: the online grouping over a JSON-lines file, no database (the format and the
// grouping are src/stories/item-lines.ts; this reads and writes the files).
import fs from 'node:fs/promises';
import { groupItemLines, parseItemLines, type ItemLinesOptions } from '../stories/item-lines.js';

export interface GroupFileResult {
  items: number;
  stories: number;
  /** Storylines, at the storylines level. */
  storylines?: number;
  ms: number;
}

/** Reads items, groups them as the worker would, writes one {id, story} line per item in input order. */
export async function groupFile(
  inputPath: string,
  outputPath: string,
  options: ItemLinesOptions = {},
): Promise<GroupFileResult> {
  const { items, ids } = parseItemLines(await fs.readFile(inputPath, 'utf8'), inputPath);
  const started = performance.now();
  const { lines, ...counts } = groupItemLines(items, ids, options);
  const ms = Math.round(performance.now() - started);
  await fs.writeFile(outputPath, lines.length ? `${lines.join('\n')}\n` : '');
  return { ...counts, ms };
}
