// The real `storyline start` as a child process, with its JSON log lines collected, and slow fixture
// feeds that record when each request arrived: what the resilience tests kill, stop and restart.
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startCli } from '../helpers/cli.js';
import { openPgliteDb, type Db } from '../../src/store/db/db.js';
import { migrate } from '../../src/store/migrations.js';
import { openTestDb, type BackendName, type TestDb } from '../helpers/db.js';
import { rss, type FixtureEntry } from '../helpers/feeds.js';
import type { FixtureServer } from '../helpers/fixture-server.js';

export interface LogLine {
  level: string;
  msg: string;
  [field: string]: unknown;
}

export interface RunningCli {
  child: ChildProcess;
  /** Base URL of the HTTP server, when RUN includes server. */
  url: string | null;
  readonly logs: LogLine[];
  /** Output that was not a JSON log line (stderr, the "running at" banner). */
  readonly text: string[];
  /** Resolves with the first log line matching, already seen or still to come. */
  waitForLog(match: (line: LogLine) => boolean, timeoutMs?: number, what?: string): Promise<LogLine>;
  count(match: (line: LogLine) => boolean): number;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `storyline start` and, when it serves HTTP, waits until it listens. */
export async function startStoryline(
  env: Record<string, string>,
  options: { server?: boolean } = {},
): Promise<RunningCli> {
  // Vitest puts Vite's BASE_URL="/" in process.env, which the child would read as our BASE_URL.
  const child = startCli(['start'], { BASE_URL: '', ...env });
  const logs: LogLine[] = [];
  const text: string[] = [];
  const waiters = new Set<() => void>();
  let buffered = '';
  const onLine = (line: string) => {
    try {
      const parsed = JSON.parse(line) as LogLine;
      if (typeof parsed.msg === 'string') logs.push(parsed);
      else text.push(line);
    } catch {
      text.push(line);
    }
    for (const wake of waiters) wake();
  };
  child.stdout!.on('data', (d: Buffer) => {
    buffered += d.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop()!;
    lines.filter(Boolean).forEach(onLine);
  });
  child.stderr!.on('data', (d: Buffer) =>
    d
      .toString()
      .split('\n')
      .filter(Boolean)
      .forEach((l) => text.push(l)),
  );
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const waitFor = <T>(find: () => T | undefined, timeoutMs: number, what: string): Promise<T> =>
    new Promise((resolve, reject) => {
      const check = () => {
        const found = find();
        if (found === undefined) return;
        cleanup();
        resolve(found);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(
          new Error(
            `no ${what} within ${timeoutMs} ms; output so far:\n${[...text, ...logs.map((l) => JSON.stringify(l))].slice(-40).join('\n')}`,
          ),
        );
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        waiters.delete(check);
      };
      waiters.add(check);
      void exited.then(() => setTimeout(check, 50));
      check();
    });
  const cli: RunningCli = {
    child,
    url: null,
    logs,
    text,
    waitForLog: (match, timeoutMs = 60_000, what = 'matching log line') =>
      waitFor(() => logs.find(match), timeoutMs, what),
    count: (match) => logs.filter(match).length,
    exited,
  };
  if (options.server !== false && (env.RUN ?? 'worker,server').includes('server')) {
    const banner = await waitFor(
      () => text.map((l) => /running at (http:\/\/\S+?)\/ /.exec(l)?.[1]).find(Boolean),
      120_000,
      '"running at" banner',
    );
    cli.url = banner;
  }
  return cli;
}

/** Sends the signal and waits for the exit; SIGKILLs after `timeoutMs` so a test never leaves a process behind. */
export async function stopStoryline(
  cli: RunningCli,
  signal: NodeJS.Signals,
  timeoutMs = 30_000,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }> {
  const started = Date.now();
  if (cli.child.exitCode === null && cli.child.signalCode === null) cli.child.kill(signal);
  const timer = setTimeout(() => cli.child.kill('SIGKILL'), timeoutMs);
  const result = await cli.exited;
  clearTimeout(timer);
  return { ...result, ms: Date.now() - started };
}

export interface FeedHit {
  path: string;
  at: number;
}

/**
 * `count` feeds at /slow/<tag>-<i>.xml that answer after `delayMs`, each with `perFeed` items whose
 * titles are shared across feeds in pairs (so stories form), recording when every request arrived.
 */
export function addSlowFeeds(
  server: FixtureServer,
  tag: string,
  count: number,
  options: { delayMs: number; perFeed?: number },
): { urls: string[]; hits: FeedHit[] } {
  const hits: FeedHit[] = [];
  const urls: string[] = [];
  for (let i = 0; i < count; i++) {
    const p = `/slow/${tag}-${i}.xml`;
    const entries: FixtureEntry[] = Array.from({ length: options.perFeed ?? 3 }, (_, k) => ({
      guid: `${tag}-${i}-${k}`,
      title: STORY_TITLES[(Math.floor(i / 2) * 3 + k) % STORY_TITLES.length]!,
      pubDate: new Date(Date.UTC(2025, 4, 6, 8 + k, i)).toUTCString(),
    }));
    const body = rss(`Slow ${tag} ${i}`, entries);
    server.set(p, (_req, res) => {
      hits.push({ path: p, at: Date.now() });
      setTimeout(() => res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(body), options.delayMs);
    });
    urls.push(server.url(p));
  }
  return { urls, hits };
}

const STORY_TITLES = [
  'Sheinbaum rejects Trump offer to send US troops into Mexico',
  'Cardinals gather in Vatican as papal conclave begins',
  'India and Pakistan trade strikes across the Kashmir line of control',
  'Germany elects Friedrich Merz chancellor after a second vote',
  'Romania heads to a presidential runoff after a far-right surge',
  'Federal Reserve holds rates steady and warns of tariff risks',
  'Heathrow flights resume after a substation fire shuts the airport',
  'Canada election: Carney meets Trump at the White House',
  'Gaza ceasefire talks stall as aid blockade enters third month',
];

/** An OPML file listing the URLs, one outlet per feed. */
export function writeSources(dir: string, urls: string[]): string {
  const file = path.join(dir, 'sources.opml');
  const outlines = urls
    .map((u, i) => `<outline type="rss" text="Outlet ${i}" outlet="Outlet ${i}" xmlUrl="${u}"/>`)
    .join('\n');
  fs.writeFileSync(
    file,
    `<?xml version="1.0"?><opml version="2.0"><head><title>t</title></head><body>\n${outlines}\n</body></opml>`,
  );
  return file;
}

/** A database the child processes and the test can both reach: a PGlite folder (one process at a time) or a pg schema. */
export interface SharedDb {
  env: Record<string, string>;
  /** A temporary folder for this test's files (sources), removed on close. */
  dir: string;
  /** Opens it from the test (for PGlite: only while no child runs). */
  open(): Promise<Db>;
  close(): Promise<void>;
}

export async function openSharedDb(backend: BackendName): Promise<SharedDb> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'storyline-resilience-'));
  if (backend === 'pglite') {
    const dataDir = path.join(dir, 'data');
    // Created and migrated here: initdb takes seconds of CPU, which would otherwise delay the child's start.
    const created = await openPgliteDb(path.join(dataDir, 'pglite'));
    await migrate(created);
    await created.close();
    return {
      env: { DATA_DIR: dataDir },
      dir,
      open: () => openPgliteDb(path.join(dataDir, 'pglite')),
      close: async () => fs.rmSync(dir, { recursive: true, force: true }),
    };
  }
  const handle: TestDb = await openTestDb('pg');
  return {
    env: handle.env,
    dir,
    open: async () => ({ ...handle.db, close: async () => undefined }),
    close: async () => {
      await handle.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Polls until `done` returns true (or a value), failing after `timeoutMs` with `what`. */
export async function eventually<T>(
  probe: () => Promise<T | false | null | undefined>,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: unknown = null;
  for (;;) {
    try {
      const v = await probe();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > until)
      throw new Error(`${what}: not within ${timeoutMs} ms${last ? ` (last error: ${String(last)})` : ''}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export const mkTemp = (prefix: string): string => fs.mkdtempSync(path.join(os.tmpdir(), prefix));

export const removeDir = (dir: string): void => fs.rmSync(dir, { recursive: true, force: true });
