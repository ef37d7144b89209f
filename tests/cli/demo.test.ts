// `storyline demo` runs on data of its own: a fresh temporary folder (removed on exit) unless
// --data-dir names one, never DATA_DIR or DATABASE_URL. Run twice on a kept folder, it gives what
// one run gave: same feeds, items and stories (its local server's port changes between runs).
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCli, waitForOutput } from '../helpers/cli.js';
import { openTestDb, serverDatabaseUrl, type TestDb } from '../helpers/db.js';
import { eventually } from '../resilience/service.js';

const row = (id: string, title: string, outlet: string, feed: string, hour: number) => ({
  id,
  title,
  summary: `${title}.`,
  url: `https://${outlet.toLowerCase().replace(/\W+/g, '')}.example/${id}`,
  outlet,
  feed_url: feed,
  published: `2025-05-06T${String(hour).padStart(2, '0')}:00:00Z`,
});
const ROWS = [
  row(
    'g1',
    'Sheinbaum rejects Trump offer to send US troops into Mexico',
    'The Guardian',
    'https://www.theguardian.com/world/rss',
    8,
  ),
  row(
    'g2',
    'Cardinals gather in Vatican as papal conclave begins',
    'The Guardian',
    'https://www.theguardian.com/world/rss',
    9,
  ),
  row(
    'g3',
    'Germany elects Friedrich Merz chancellor after a second vote',
    'The Guardian',
    'https://www.theguardian.com/world/rss',
    10,
  ),
  row(
    'p1',
    'Mexico president Sheinbaum says she rejected Trump offer of US troops',
    'PBS NewsHour',
    'https://www.pbs.org/newshour/feeds/rss/world',
    11,
  ),
  row(
    'p2',
    'Papal conclave begins as cardinals gather at the Vatican',
    'PBS NewsHour',
    'https://www.pbs.org/newshour/feeds/rss/world',
    12,
  ),
  row(
    'p3',
    'Federal Reserve holds rates steady and warns of tariff risks',
    'PBS NewsHour',
    'https://www.pbs.org/newshour/feeds/rss/world',
    13,
  ),
];

interface Counts {
  feeds: string[];
  items: number;
  stories: number;
}

let dir: string;
let dataset: string;
let user: TestDb | null = null;
/** The operator's own settings: the demo must leave them untouched. */
let userEnv: Record<string, string>;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'storyline-demo-cli-'));
  dataset = path.join(dir, 'week.jsonl');
  fs.writeFileSync(dataset, ROWS.map((r) => JSON.stringify(r)).join('\n') + '\n');
  userEnv = { DATA_DIR: path.join(dir, 'user-data') };
  if (serverDatabaseUrl) {
    user = await openTestDb('pg');
    userEnv = { ...userEnv, ...user.env };
  }
});
afterAll(async () => {
  await user?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Runs the demo until every item is in a story; returns what it serves and the folder it announced. */
async function runDemo(args: string[]): Promise<{ counts: Counts; announced: string; child: ChildProcess }> {
  const child = startCli(['demo', '--dataset', dataset, ...args], { ...userEnv, PORT: '0' });
  const [, announced] = await waitForOutput(child, /Demo data in (\S+)/, 60_000);
  const [, url] = await waitForOutput(child, /running at (http:\/\/\S+?)\/ /, 150_000);
  const get = async <T>(p: string): Promise<T> => (await (await fetch(url + p)).json()) as T;
  const counts = await eventually(
    async () => {
      const { items } = await get<{ items: Array<{ storyId: number | null }> }>('/api/items?limit=100');
      if (items.length !== ROWS.length || items.some((i) => i.storyId === null)) return null;
      const { feeds } = await get<{ feeds: Array<{ url: string; status: string }> }>('/api/feeds');
      const { stories } = await get<{ stories: unknown[] }>('/api/stories?limit=100');
      return {
        feeds: feeds.map((f) => `${f.status} ${new URL(f.url).pathname}`).sort(),
        items: items.length,
        stories: stories.length,
      };
    },
    90_000,
    'the demo week fetched and grouped',
  );
  return { counts, announced: announced!, child };
}

async function stop(child: ChildProcess): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill('SIGTERM');
  return exited;
}

describe('storyline demo', { timeout: 300_000 }, () => {
  it('run twice on a kept folder gives what one run gave, and never touches DATA_DIR or DATABASE_URL', async () => {
    const kept = path.join(dir, 'demo-data');
    const first = await runDemo(['--data-dir', kept]);
    expect(first.announced).toBe(kept);
    expect(await stop(first.child)).toBe(0);
    expect(first.counts.feeds).toHaveLength(2);
    expect(first.counts.feeds.every((f) => f.startsWith('ok /feeds/'))).toBe(true);

    const second = await runDemo(['--data-dir', kept]);
    expect(await stop(second.child)).toBe(0);
    expect(second.counts).toEqual(first.counts);

    expect(fs.existsSync(userEnv.DATA_DIR!), 'the demo created the user’s DATA_DIR').toBe(false);
    if (user)
      expect((await user.db.query('SELECT id FROM feeds')).rows, 'the demo left feeds in DATABASE_URL').toEqual([]);
  });

  it('uses a fresh temporary folder by default, removed when it stops', async () => {
    const run = await runDemo([]);
    expect(run.announced.startsWith(path.join(os.tmpdir(), 'storyline-demo-'))).toBe(true);
    expect(fs.existsSync(path.join(run.announced, 'pglite', 'PG_VERSION'))).toBe(true);
    expect(run.counts.items).toBe(ROWS.length);
    expect(await stop(run.child)).toBe(0);
    expect(fs.existsSync(run.announced)).toBe(false);
  });
});
