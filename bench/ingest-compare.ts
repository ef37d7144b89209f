// bench:ingest's side-by-side: Storyline (Postgres, embedded) and newsboat over the same static feeds,
// interleaved rounds (system by system within a round, so a busy moment of the machine is shared),
// medians shown, each system's ratio to newsboat computed within the run, and the issue 15 targets.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  newsboat,
  storylineEmbedded,
  storylinePostgres,
  type Site,
  type Stored,
  type System,
} from './ingest-systems.js';
import { measuringMissing, type RunMeasure } from './measured-run.js';
import { ITEMS_PER_FEED, serveStatic, sourcesOpml, writeFeedFiles } from './static-feeds.js';
import { printTable } from './lib.js';
import { buildService } from './torture-service.js';

interface Result {
  system: System;
  cold: RunMeasure[];
  warm: RunMeasure[];
  stored: Stored[];
  /** 304 answers the site gave during each warm pass. */
  warm304: number[];
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const med = (runs: RunMeasure[], key: 'wallS' | 'cpuS' | 'peakMb'): number => median(runs.map((r) => r[key]));

/** One round of one system: a fresh store, the cold pass, the warm pass, what it stored. */
async function runRound(r: Result, round: number, feeds: number, statuses: Map<number, number>): Promise<void> {
  await r.system.prepare(round);
  const cold = await r.system.pass();
  if (cold.code !== 0)
    throw new Error(`${r.system.name}: cold pass exited with ${cold.code}\n${cold.stderr.slice(-2000)}`);
  r.stored.push(await r.system.stored());
  statuses.clear();
  const warm = await r.system.pass();
  r.warm304.push(statuses.get(304) ?? 0);
  if (warm.code !== 0)
    throw new Error(`${r.system.name}: warm pass exited with ${warm.code}\n${warm.stderr.slice(-2000)}`);
  r.cold.push(cold);
  r.warm.push(warm);
  console.error(
    `  round ${round + 1}: ${r.system.name} cold ${cold.wallS.toFixed(1)} s (${cold.peakMb.toFixed(0)} MB), warm ${warm.wallS.toFixed(1)} s (${r.warm304.at(-1)} × 304); ${r.stored.at(-1)!.items}/${feeds * ITEMS_PER_FEED} items`,
  );
  await r.system.cleanup();
}

const cpuCell = (runs: RunMeasure[]): string => {
  const server = runs.map((r) => r.serverCpuS).filter((s): s is number => s !== null);
  return `${med(runs, 'cpuS').toFixed(1)}${server.length ? ` (+${median(server).toFixed(1)} in Postgres)` : ''}`;
};
const times = (x: number | null): string => (x === null ? '' : `${x.toFixed(2)}×`);
const verdict = (ok: boolean): string => (ok ? 'met' : 'NOT met');

function printResults(
  results: Result[],
  skipped: Array<{ name: string; reason: string }>,
  feeds: number,
  rounds: number,
): void {
  const reader = results.find((r) => r.system.name === 'newsboat') ?? null;
  // Each round's ratio to the reader's run of the same round, then the median: a busy moment of the
  // machine weighs on both sides of a ratio, not on one median against another's.
  const vs = (r: Result, pass: 'cold' | 'warm'): number | null =>
    reader ? median(r[pass].map((m, i) => m.wallS / reader[pass][i]!.wallS)) : null;
  printTable(
    `Side by side: ${feeds.toLocaleString('en-US')} feeds × ${ITEMS_PER_FEED} items, static files on 127.0.0.1 (median of ${rounds} interleaved round${rounds > 1 ? 's' : ''})`,
    [
      'system',
      'cold pass (s)',
      'cold vs newsboat',
      'CPU (s)',
      'peak RSS (MB)',
      'warm pass (s)',
      'warm 304s',
      'warm vs newsboat',
      'items stored / assigned',
    ],
    results.map((r) => {
      const last = r.stored.at(-1)!;
      return [
        r.system.name,
        med(r.cold, 'wallS'),
        times(vs(r, 'cold')),
        cpuCell(r.cold),
        Math.round(med(r.cold, 'peakMb')),
        med(r.warm, 'wallS'),
        `${Math.min(...r.warm304)}/${feeds}`,
        times(vs(r, 'warm')),
        `${last.items.toLocaleString('en-US')} / ${last.assigned === null ? '—' : last.assigned.toLocaleString('en-US')}`,
      ];
    }),
  );
  for (const s of skipped) console.log(`\n${s.name}: skipped (${s.reason}).`);
  const expected = feeds * ITEMS_PER_FEED;
  const targets: Array<[string, string, string]> = [];
  for (const [name, limit] of [
    ['Storyline, Postgres', 1.5],
    ['Storyline, embedded', 2],
  ] as const) {
    const r = results.find((x) => x.system.name === name);
    if (!r) continue;
    const [cold, warm] = [vs(r, 'cold'), vs(r, 'warm')];
    const peak = Math.max(...r.cold.map((m) => m.peakMb));
    targets.push([
      `${name}: cold pass ≤ ${limit}× newsboat (median of the rounds' ratios)`,
      cold === null ? 'no newsboat' : times(cold),
      cold === null ? 'not measured' : verdict(cold <= limit),
    ]);
    targets.push([
      `${name}: peak RSS of fetch --once ≤ 400 MB (highest round)`,
      `${Math.round(peak)} MB`,
      verdict(peak <= 400),
    ]);
    targets.push([
      `${name}: warm pass ≤ 0.5× newsboat (median of the rounds' ratios)`,
      warm === null ? 'no newsboat' : times(warm),
      warm === null ? 'not measured' : verdict(warm <= 0.5),
    ]);
    const all = r.stored.every((s) => s.items === expected && s.assigned === expected);
    targets.push([
      `${name}: every item stored and assigned (${expected.toLocaleString('en-US')}), every round`,
      r.stored.map((s) => `${s.items}/${s.assigned}`).join(', '),
      verdict(all),
    ]);
  }
  printTable('Issue 15 targets', ['target', 'measured', 'verdict'], targets);
}

/** Runs the comparison at BENCH_FEEDS feeds (default 1,000) and INGEST_ROUNDS rounds (default 3). */
export async function compareWithFeedReader(feeds: number, rounds: number): Promise<void> {
  const missing = measuringMissing();
  if (missing) return void console.log(`\nSide by side with newsboat: skipped (${missing}).`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'storyline-bench-compare-'));
  writeFeedFiles(dir, feeds);
  const served = await serveStatic(dir, feeds);
  try {
    const sourcesFile = path.join(dir, 'sources.opml');
    fs.writeFileSync(sourcesFile, sourcesOpml(served.urls));
    const site: Site = { hostPort: served.hostPort, urls: served.urls, sourcesFile };
    const entry = buildService(dir);
    const adminUrl =
      process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || process.env.DATABASE_URL || null;
    const systems = [
      storylinePostgres(entry, site, adminUrl),
      storylineEmbedded(entry, site, dir),
      newsboat(site, dir),
    ];
    const skipped = systems.flatMap((s) => (s.missing() ? [{ name: s.name, reason: s.missing()! }] : []));
    const results: Result[] = systems
      .filter((s) => !s.missing())
      .map((system) => ({ system, cold: [], warm: [], stored: [], warm304: [] }));
    for (let round = 0; round < rounds; round++)
      for (const r of results) await runRound(r, round, feeds, served.statuses);
    printResults(results, skipped, feeds, rounds);
  } finally {
    await served.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
