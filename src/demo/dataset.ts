// The demo week: 2,040 real feed items from ~33 feeds, 5–9 May 2025 (shared/datasets/demo-week/README.md).
import fs from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { PACKAGE_ROOT } from '../config.js';
import { InvalidInputError } from '../errors.js';

/** The dataset beside the repository (CI lays shared/ next to the clone); pass another path to override. */
export const DEMO_DATASET_PATH = path.resolve(PACKAGE_ROOT, '..', 'shared', 'datasets', 'demo-week', 'items.jsonl');

/** One line of items.jsonl. */
export interface DemoItem {
  id: string;
  title: string;
  summary: string;
  url: string;
  outlet: string;
  feedUrl: string;
  published: Date;
}

const LINE = z.object({
  id: z.string().min(1),
  title: z.string(),
  summary: z.string(),
  url: z.url({ protocol: /^https?$/ }),
  outlet: z.string().min(1),
  feed_url: z.url({ protocol: /^https?$/ }),
  published: z.iso.datetime({ offset: true }),
});

/** Every item of a JSON-lines dataset, in file order; a malformed line fails with its number. */
export async function readDemoItems(datasetPath: string): Promise<DemoItem[]> {
  let text: string;
  try {
    text = await fs.readFile(datasetPath, 'utf8');
  } catch (err) {
    throw new InvalidInputError(`demo: cannot read the dataset ${datasetPath}: ${(err as Error).message}`);
  }
  const items: DemoItem[] = [];
  text.split('\n').forEach((line, index) => {
    if (line.trim()) items.push(toDemoItem(line, index + 1, datasetPath));
  });
  return items;
}

function toDemoItem(line: string, lineNumber: number, datasetPath: string): DemoItem {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    throw new InvalidInputError(`demo: ${datasetPath} line ${lineNumber} is not JSON`);
  }
  const parsed = LINE.safeParse(json);
  if (!parsed.success) {
    throw new InvalidInputError(
      `demo: ${datasetPath} line ${lineNumber}: ${z.prettifyError(parsed.error).replace(/\n/g, '; ')}`,
    );
  }
  const { feed_url: feedUrl, published, ...rest } = parsed.data;
  return { ...rest, feedUrl, published: new Date(published) };
}
