// Embedded start-up: what the first `storyline start` on an empty DATA_DIR costs against a restart on
// the same folder (the baseline, measured in the same run), as deployed (compiled, node bin/storyline.js).
// Issue 13's target: first-start resident memory within 15% of a restart's. For reference, the cost
// of creating the cluster inside the measured process, as the first start did before.
//   npm run bench:startup            STARTUP_ROUNDS=5 for more rounds (medians are shown)
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { childEnv, waitForOutput } from '../tests/helpers/cli.js';
import { printTable } from './lib.js';
import { buildService } from './torture-service.js';

const ROUNDS = Number(process.env.STARTUP_ROUNDS ?? 3);

interface Sample {
  readyMs: number;
  rssMb: number;
  peakMb: number;
}

function memoryOf(pid: number): { rssMb: number; peakMb: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
  return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
}

async function waitReady(url: string, child: ChildProcess): Promise<void> {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the service exited with code ${child.exitCode}`);
    const ok = await fetch(`${url}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Starts the service on dataDir, times it to a 200 from /readyz, reads its memory, stops it. */
async function measureStart(entry: string, dataDir: string, sources: string): Promise<Sample> {
  const started = performance.now();
  const child = spawn(process.execPath, [entry, 'start'], {
    env: childEnv({
      DATA_DIR: dataDir,
      SOURCES_FILE: sources,
      PORT: '0',
      FETCH_SCHEDULE: '0 0 1 1 *',
      LOG_LEVEL: 'warn',
    }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    const [, url] = await waitForOutput(child, /running at (http:\/\/\S+?)\/ /, 300_000);
    await waitReady(url!, child);
    const readyMs = performance.now() - started;
    // Settled: the first worker tick (no feeds) and the JIT's start-up have run.
    await new Promise((r) => setTimeout(r, 1000));
    return { readyMs, ...memoryOf(child.pid!) };
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

/** The old first start: PGlite creating the cluster inside the process that keeps running. */
async function measureInProcessCreate(root: string, dataDir: string): Promise<Sample> {
  const dbModule = path.join(root, 'dist', 'store', 'db', 'db.js');
  const script = `const { openPgliteDb } = await import(${JSON.stringify(dbModule)});
const t = performance.now(); const db = await openPgliteDb(${JSON.stringify(dataDir)}); await db.query('SELECT 1');
const ms = performance.now() - t; const s = (await import('node:fs')).readFileSync('/proc/self/status', 'utf8');
const kb = (f) => Number(new RegExp('^' + f + ':\\\\s+(\\\\d+) kB', 'm').exec(s)[1]);
console.log(JSON.stringify({ readyMs: ms, rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 })); await db.close();`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  await new Promise((resolve) => child.once('exit', resolve));
  return JSON.parse(out) as Sample;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const summarise = (samples: Sample[]): Sample => ({
  readyMs: median(samples.map((s) => s.readyMs)),
  rssMb: median(samples.map((s) => s.rssMb)),
  peakMb: median(samples.map((s) => s.peakMb)),
});

async function main(): Promise<void> {
  if (!fs.existsSync('/proc/self/status')) throw new Error('bench:startup reads memory from /proc (Linux only)');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'storyline-bench-startup-'));
  try {
    const entry = buildService(dir);
    const root = path.dirname(path.dirname(entry));
    const sources = path.join(dir, 'none.opml');
    fs.writeFileSync(
      sources,
      '<?xml version="1.0"?><opml version="2.0"><head><title>none</title></head><body/></opml>',
    );
    const first: Sample[] = [];
    const restart: Sample[] = [];
    const inProcess: Sample[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const dataDir = path.join(dir, `data-${round}`);
      first.push(await measureStart(entry, dataDir, sources));
      restart.push(await measureStart(entry, dataDir, sources));
      inProcess.push(await measureInProcessCreate(root, path.join(dir, `in-process-${round}`, 'pglite')));
      console.log(
        `round ${round + 1}/${ROUNDS}: first ${Math.round(first.at(-1)!.peakMb)} MB, restart ${Math.round(restart.at(-1)!.peakMb)} MB`,
      );
    }
    const [f, r, p] = [summarise(first), summarise(restart), summarise(inProcess)];
    const row = (name: string, s: Sample, ready: boolean) => [
      name,
      ready ? (s.readyMs / 1000).toFixed(2) : '—',
      Math.round(s.rssMb),
      Math.round(s.peakMb),
      (s.peakMb / r.peakMb).toFixed(2),
    ];
    printTable(
      `Embedded start-up (median of ${ROUNDS}; compiled service, empty sources, Node ${process.versions.node}, ${os.cpus().length} cores)`,
      ['start', 'time to /readyz (s)', 'RSS when ready (MB)', 'peak RSS (MB)', 'peak vs restart'],
      [
        row('first start, empty DATA_DIR (cluster created by a child process)', f, true),
        row('baseline: restart on the same DATA_DIR', r, true),
        row('reference: cluster created inside the process (the first start before)', p, false),
      ],
    );
    const ratio = f.peakMb / r.peakMb;
    console.log(
      `\nFirst start's peak resident memory is ${ratio.toFixed(2)}× a restart's (target ≤ 1.15: ${ratio <= 1.15 ? 'met' : 'NOT met'}); its RSS when ready is ${(f.rssMb / r.rssMb).toFixed(2)}×.`,
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
