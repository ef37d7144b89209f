// The layout holds: a module imports only its own stage or earlier ones along the pipeline, and the
// grouping core stays pure (no I/O), so the shape of src/ reads as the path the data takes (issue 14).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src');

/** The pipeline, earliest first; the shared base (model, errors, config, log…) comes before it all. */
const STAGES = [
  '(base)',
  'sources',
  'fetch',
  'parse',
  'normalize',
  'store',
  'stories',
  'worker',
  'server',
  'demo',
  '(top)',
];
const TOP = new Set(['cli.ts', 'service.ts', 'cli']);

function stageOf(file: string): string {
  const [first = ''] = path.relative(SRC, file).split(path.sep);
  if (TOP.has(first)) return '(top)';
  return STAGES.includes(first) ? first : '(base)';
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(full);
    return e.name.endsWith('.ts') ? [full] : [];
  });
}

/** Every module specifier a file names: static imports and re-exports (types too) and dynamic imports. */
export function specifiers(source: string): string[] {
  const found: string[] = [];
  for (const m of source.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"`;]*?\bfrom\s*'([^']+)'/g)) found.push(m[1]!);
  for (const m of source.matchAll(/(?:^|\n)\s*import\s*'([^']+)'/g)) found.push(m[1]!);
  for (const m of source.matchAll(/\bimport\(\s*'([^']+)'\s*\)/g)) found.push(m[1]!);
  return found;
}

interface Edge {
  from: string;
  to: string;
}

function internalEdges(): Edge[] {
  return sourceFiles(SRC).flatMap((from) =>
    specifiers(fs.readFileSync(from, 'utf8'))
      .filter((s) => s.startsWith('.'))
      .map((s) => ({ from, to: path.resolve(path.dirname(from), s).replace(/\.js$/, '.ts') })),
  );
}

const rel = (f: string) => path.relative(SRC, f);

describe('the layout', () => {
  it('finds the imports it checks, static, re-exported and dynamic', () => {
    const sample = [
      "import type { A } from '../a.js';",
      "import {\n  b,\n  c,\n} from './b.js';",
      "export { d } from './d.js';",
      "const e = await import('./e.js');",
      "import './f.js';",
    ].join('\n');
    expect(specifiers(sample)).toEqual(['../a.js', './b.js', './d.js', './f.js', './e.js']);
    expect(internalEdges().length).toBeGreaterThan(300);
  });

  it('imports only along the pipeline: no module imports a later stage', () => {
    const upward = internalEdges()
      .filter((e) => STAGES.indexOf(stageOf(e.to)) > STAGES.indexOf(stageOf(e.from)))
      .map((e) => `${rel(e.from)} → ${rel(e.to)} (${stageOf(e.from)} imports ${stageOf(e.to)})`);
    expect(upward).toEqual([]);
  });

  it('every relative import names a module that exists', () => {
    const missing = internalEdges()
      .filter((e) => !fs.existsSync(e.to))
      .map((e) => `${rel(e.from)} → ${rel(e.to)}`);
    expect(missing).toEqual([]);
  });

  it('keeps the grouping core pure: src/stories reads no file, socket or clock of its own', () => {
    const impure = sourceFiles(path.join(SRC, 'stories')).flatMap((file) =>
      specifiers(fs.readFileSync(file, 'utf8'))
        .filter(
          (s) => /^node:(fs|net|http|https|child_process|worker_threads)(\/|$)/.test(s) || /^(pg|express)$/.test(s),
        )
        .map((s) => `${rel(file)} imports ${s}`),
    );
    expect(impure).toEqual([]);
  });
});
