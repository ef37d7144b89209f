import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { groupFile } from '../../src/cli/group-file.js';
import { groupItems } from '../../src/stories/group/group-items.js';
import { parseItemLines } from '../../src/stories/item-lines.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const DEV_SET = path.resolve(ROOT, '../shared/datasets/clustering');

function tmpFile(name: string, text = ''): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'storyline-cluster-test-'));
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

describe('groupFile', () => {
  it('writes one {id, story} line per input item, in input order, with ISO or epoch-ms times', async () => {
    const lines = [
      {
        id: 'b',
        title: 'Sheinbaum rejects US troops offer to fight Mexico drug cartels',
        published: '2025-05-05T10:00:00Z',
      },
      {
        id: 7,
        title: 'Cardinals gather in Vatican for conclave to elect new pope',
        published: Date.parse('2025-05-05T11:00:00Z'),
      },
      {
        id: 'a',
        title: 'Mexico Sheinbaum turns down US troops against drug cartels',
        outlet: 'AP',
        url: 'https://apnews.com/x',
        published: '2025-05-05T09:00:00Z',
      },
    ];
    const input = tmpFile('items.jsonl', lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
    const output = tmpFile('out.jsonl');
    const result = await groupFile(input, output);
    const out = fs
      .readFileSync(output, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string | number; story: number });
    expect(out.map((o) => o.id)).toEqual(['b', 7, 'a']);
    expect(out[0]!.story).toBe(out[2]!.story);
    expect(out[1]!.story).not.toBe(out[0]!.story);
    expect(result).toMatchObject({ items: 3, stories: 2 });
  });

  it('says which line is wrong', async () => {
    const input = tmpFile(
      'bad.jsonl',
      '{"id": 1, "title": "ok", "published": "2025-05-05T10:00:00Z"}\n{"id": 2, "title": "no date"}\n',
    );
    await expect(groupFile(input, tmpFile('out.jsonl'))).rejects.toThrow(
      /bad\.jsonl:2: "published" must be ISO 8601 or epoch milliseconds/,
    );
  });
});

describe('the development set', () => {
  const available = fs.existsSync(path.join(DEV_SET, 'gold.jsonl'));
  if (!available) console.log(`skipping the development-set check: ${DEV_SET} is missing`);

  it.skipIf(!available)('reaches BCubed F1 ≥ 0.85 online (aggregate score only)', () => {
    const { items } = parseItemLines(fs.readFileSync(path.join(DEV_SET, 'items.jsonl'), 'utf8'));
    const gold = new Map(
      fs
        .readFileSync(path.join(DEV_SET, 'gold.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => {
          const o = JSON.parse(l) as { id: string | number; story: string | number };
          return [String(o.id), String(o.story)] as const;
        }),
    );
    const pred = new Map(groupItems(items).items.map((g) => [g.key, String(g.story)]));
    const cell = new Map<string, number>();
    const predSize = new Map<string, number>();
    const goldSize = new Map<string, number>();
    for (const [id, g] of gold) {
      const p = pred.get(id)!;
      cell.set(`${p}\u0000${g}`, (cell.get(`${p}\u0000${g}`) ?? 0) + 1);
      predSize.set(p, (predSize.get(p) ?? 0) + 1);
      goldSize.set(g, (goldSize.get(g) ?? 0) + 1);
    }
    let precision = 0;
    let recall = 0;
    for (const [k, m] of cell) {
      const [p, g] = k.split('\u0000') as [string, string];
      precision += (m * m) / predSize.get(p)!;
      recall += (m * m) / goldSize.get(g)!;
    }
    precision /= gold.size;
    recall /= gold.size;
    expect((2 * precision * recall) / (precision + recall)).toBeGreaterThanOrEqual(0.85);
  });
});
