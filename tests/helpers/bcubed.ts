// Scores a grouping with the shared evaluator (../shared/datasets/clustering/eval.mjs), as the bench does.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from './cli.js';

export const DATASETS = path.resolve(REPO_ROOT, '..', 'shared', 'datasets');
export const EVALUATOR = path.join(DATASETS, 'clustering', 'eval.mjs');

export interface Score {
  bcubed_precision: number;
  bcubed_recall: number;
  bcubed_f1: number;
  pred_clusters: number;
}

/** BCubed scores of `assignments` (id → group) against a gold file of {id, story} lines. */
export function scoreAgainst(goldPath: string, assignments: ReadonlyMap<string, string | number>): Score {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'storyline-score-')), 'assignments.jsonl');
  fs.writeFileSync(file, [...assignments].map(([id, story]) => JSON.stringify({ id, story })).join('\n') + '\n');
  try {
    return JSON.parse(
      execFileSync(process.execPath, [EVALUATOR, goldPath, file, '--json'], { encoding: 'utf8' }),
    ) as Score;
  } finally {
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  }
}

/** The demo week's storyline labels ({id, storyline}) as a gold file the evaluator reads ({id, story}); removed at exit. */
export function storylineGoldFile(): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'storyline-gold-')), 'gold.jsonl');
  const lines = fs
    .readFileSync(path.join(DATASETS, 'demo-week', 'storylines.jsonl'), 'utf8')
    .trim()
    .split('\n');
  fs.writeFileSync(
    file,
    lines
      .map((l) => {
        const g = JSON.parse(l) as { id: string; storyline: string };
        return JSON.stringify({ id: g.id, story: g.storyline });
      })
      .join('\n') + '\n',
  );
  process.once('exit', () => fs.rmSync(path.dirname(file), { recursive: true, force: true }));
  return file;
}
