// The service under torture: a fresh database, `storyline start` as a child process (compiled as
// deployed, or through tsx), its peak memory read from /proc, and the wait for one full pass.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { openPgDb, openPgliteDb, type Db } from '../src/store/db/db.js';
import { migrate } from '../src/store/migrations.js';
import { REPO_ROOT, childEnv, startCli, waitForOutput } from '../tests/helpers/cli.js';
import type { HostileServer } from '../tests/helpers/hostile.js';

const PASS_DEADLINE_MS = 10 * 60_000;

/** Tighter than production timeouts so the slow cases do not take minutes; sizes stay at their defaults. */
export const SERVICE_ENV = {
  RUN: 'worker,server',
  PORT: '0',
  BASE_URL: '',
  LOG_LEVEL: 'info',
  FETCH_SCHEDULE: '* * * * * *',
  FETCH_CONNECT_TIMEOUT: '5s',
  FETCH_TIMEOUT: '10s',
  FETCH_CONCURRENCY: '8',
  FETCH_PER_HOST: '8',
  // Successful feeds (the controls) come back every 4 s while the hostile cases run.
  POLL_INTERVAL: '4s',
  POLL_MIN_INTERVAL: '4s',
  ...(JSON.parse(process.env.TORTURE_ENV ?? '{}') as Record<string, string>),
};

export interface Store {
  kind: string;
  env: Record<string, string>;
  open(): Promise<Db>;
  close(): Promise<void>;
}

/** A fresh database for one run: a PGlite folder, or a schema of its own on the Postgres server. */
export async function openStore(name: string, dir: string): Promise<Store> {
  const url = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL;
  if (!url) {
    const dataDir = path.join(dir, name);
    // Created here: initdb's one-time peak (~900 MB in PGlite 0.5) belongs to a first start, not to a run.
    const created = await openPgliteDb(path.join(dataDir, 'pglite'));
    await migrate(created);
    await created.close();
    return {
      kind: 'PGlite (in the worker process)',
      env: { DATA_DIR: dataDir },
      open: () => openPgliteDb(path.join(dataDir, 'pglite')),
      close: async () => undefined,
    };
  }
  const schema = `torture_${name}_${process.pid}`;
  const admin = openPgDb({ connectionString: url, max: 1 });
  await admin.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema}`);
  const child = new URL(url);
  child.searchParams.set('options', `-c search_path=${schema}`);
  const db = openPgDb({ connectionString: url, schema, max: 2 });
  return {
    kind: `Postgres (${child.host})`,
    env: { DATABASE_URL: child.toString() },
    open: async () => ({ ...db, close: async () => undefined }),
    close: async () => {
      await db.close();
      await admin.exec(`DROP SCHEMA ${schema} CASCADE`);
      await admin.close();
    },
  };
}

export interface MemorySample {
  at: number;
  hwmMb: number;
}

/** Reads the child's peak resident memory (VmHWM) from /proc every 100 ms. */
function sampleMemory(pid: number): { samples: MemorySample[]; stop(): void } {
  const samples: MemorySample[] = [];
  const read = () => {
    try {
      const kb = Number(/VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
      if (kb) samples.push({ at: Date.now(), hwmMb: kb / 1024 });
    } catch {
      // The process has exited.
    }
  };
  read();
  const timer = setInterval(read, 100);
  return { samples, stop: () => clearInterval(timer) };
}

interface FeedJson {
  url: string;
  lastFetchedAt: string | null;
  lastSuccessAt: string | null;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** GET /api/feeds on a fresh connection; null when it fails (a worker busy parsing may let a keep-alive socket lapse). */
async function readFeeds(url: string, failures: string[]): Promise<FeedJson[] | null> {
  try {
    const res = await fetch(`${url}/api/feeds`, { headers: { connection: 'close' } });
    return ((await res.json()) as { feeds: FeedJson[] }).feeds;
  } catch (err) {
    failures.push(String((err as Error).cause ?? err));
    return null;
  }
}

/** Waits until every feed was fetched, then until the controls succeeded once more after the last of them. */
async function waitForPass(
  url: string,
  server: HostileServer,
  child: ChildProcess,
): Promise<{ apiFailures: string[] }> {
  const deadline = Date.now() + PASS_DEADLINE_MS;
  const controls = new Set(server.controls.map((c) => c.url));
  const apiFailures: string[] = [];
  let allFetchedAt: number | null = null;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the service exited with code ${child.exitCode} during the pass`);
    const feeds = await readFeeds(url, apiFailures);
    if (feeds === null) {
      await sleep(500);
      continue;
    }
    allFetchedAt ??= feeds.every((f) => f.lastFetchedAt) ? Date.now() : null;
    const controlsAfter = feeds
      .filter((f) => controls.has(f.url))
      .every((f) => f.lastSuccessAt && Date.parse(f.lastSuccessAt) > allFetchedAt!);
    if (allFetchedAt !== null && controlsAfter) return { apiFailures };
    await sleep(500);
  }
  throw new Error(`the pass did not finish within ${PASS_DEADLINE_MS / 1000} s`);
}

export interface ServiceRun {
  samples: MemorySample[];
  peakMb: number;
  passMs: number;
  errorLines: string[];
  /** GET /api/feeds requests that failed while the pass ran (the API shares the worker's process). */
  apiFailures: string[];
}

/** SIGTERM, then SIGKILL if it has not exited within a minute. */
async function stopChild(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  child.kill('SIGTERM');
  const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const code = await exited;
  clearTimeout(killer);
  if (code !== 0) console.error(`the service exited with code ${code} after SIGTERM`);
}

/**
 * The service as the Docker image runs it: the sources compiled by tsc (tsconfig.build.json) into a
 * temporary copy of the package layout, started with `node bin/storyline.js`. Returns that entry.
 */
export function buildService(dir: string): string {
  const root = path.join(dir, 'build');
  const tsc = path.join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const result = spawnSync(
    process.execPath,
    [tsc, '-p', path.join(REPO_ROOT, 'tsconfig.build.json'), '--outDir', path.join(root, 'dist')],
    { encoding: 'utf8' },
  );
  if (!fs.existsSync(path.join(root, 'dist', 'cli.js')))
    throw new Error(`tsc emitted nothing:\n${result.stdout}${result.stderr}`);
  if (result.status !== 0)
    console.warn(
      `tsc reported type errors (the build still ran, as tsc emits anyway):\n${result.stdout.split('\n').slice(0, 5).join('\n')}`,
    );
  fs.mkdirSync(path.join(root, 'bin'));
  fs.copyFileSync(path.join(REPO_ROOT, 'bin', 'storyline.js'), path.join(root, 'bin', 'storyline.js'));
  fs.copyFileSync(path.join(REPO_ROOT, 'package.json'), path.join(root, 'package.json'));
  fs.mkdirSync(path.join(root, 'src', 'sources'), { recursive: true });
  fs.copyFileSync(
    path.join(REPO_ROOT, 'src', 'sources', 'default.opml'),
    path.join(root, 'src', 'sources', 'default.opml'),
  );
  for (const shared of ['sql', 'node_modules']) fs.symlinkSync(path.join(REPO_ROOT, shared), path.join(root, shared));
  return path.join(root, 'bin', 'storyline.js');
}

/** `storyline start`: the compiled entry, or the TypeScript sources through tsx (TORTURE_RUNTIME=tsx; the loader's memory then counts too). */
function startService(entry: string | null, env: Record<string, string>): ChildProcess {
  if (entry === null) return startCli(['start'], env);
  return spawn(process.execPath, [entry, 'start'], { env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Starts the service on the sources, waits for the pass, stops it with SIGTERM. */
export async function runService(
  entry: string | null,
  store: Store,
  sourcesFile: string,
  server: HostileServer,
): Promise<ServiceRun> {
  const child = startService(entry, {
    ...SERVICE_ENV,
    ...store.env,
    SOURCES_FILE: sourcesFile,
    ALLOW_PRIVATE_HOSTS: server.allowPrivateHosts.join(','),
  });
  const output: string[] = [];
  child.stdout!.on('data', (d: Buffer) => output.push(d.toString()));
  child.stderr!.on('data', (d: Buffer) => output.push(d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const memory = sampleMemory(child.pid!);
  const started = Date.now();
  let passMs = 0;
  let apiFailures: string[] = [];
  try {
    const [, url] = await waitForOutput(child, /running at (http:\/\/\S+?)\/ /, 60_000);
    ({ apiFailures } = await waitForPass(url!, server, child));
    passMs = Date.now() - started;
  } finally {
    await stopChild(child, exited);
    memory.stop();
  }
  const errorLines = output
    .join('')
    .split('\n')
    .filter((l) => /"level":"(error|fatal)"/.test(l));
  return {
    samples: memory.samples,
    peakMb: Math.max(0, ...memory.samples.map((s) => s.hwmMb)),
    passMs,
    errorLines,
    apiFailures,
  };
}
