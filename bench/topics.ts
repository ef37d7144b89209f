// npm run bench:topics — topics measured on the demo week against its hand-made topic list
// (../shared/datasets/demo-week/topics.json, not-topics.txt), on the topics as the service stores them:
// the week through the real worker into an embedded database. Beside them, in the same run, the
// extractor the project had before (bench/legacy-topics.ts) on the same stories.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../src/config.js';
import { startDemoFeeds } from '../src/demo/server.js';
import { createSilentLogger } from '../src/log.js';
import { createWorkerDeps } from '../src/worker/deps.js';
import { loadSources } from '../src/worker/feed-operations.js';
import { openPgliteDb } from '../src/store/db/db.js';
import { migrate } from '../src/store/migrations.js';
import { parseItemLines } from '../src/stories/item-lines.js';
import { OnlineGrouping, sortByPublished } from '../src/stories/group/group-items.js';
import { runPass } from '../src/worker/worker.js';
import { legacyStoryTopics } from './legacy-topics.js';
import { printTable } from './lib.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const WEEK = path.resolve(ROOT, '../shared/datasets/demo-week');

interface GoldTopic {
  name: string;
  kind: string;
  aliases: string[];
  stories: number;
  major: boolean;
}

/** A topic and the number of stories it tags. */
export interface CountedTopic {
  name: string;
  stories: number;
}

export interface TopicMeasures {
  /** Share of the 40 topics with most stories that are a gold topic by name or alias. */
  match: number;
  /** Share of them that are strings of not-topics.txt. */
  junk: number;
  /** Gold topics that two of them stand for. */
  twice: number;
  /** Share of the gold major topics present among all topics. */
  majors: number;
}

const norm = (s: string): string =>
  s
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[.’']/g, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();

/** The four measures of the topics issue. */
export function measureTopics(
  topics: readonly CountedTopic[],
  gold: readonly GoldTopic[],
  notTopics: ReadonlySet<string>,
): TopicMeasures {
  const goldOf = new Map<string, number>();
  gold.forEach((g, i) => [g.name, ...g.aliases].forEach((n) => goldOf.set(norm(n), i)));
  const top = [...topics].sort((a, b) => b.stories - a.stories || a.name.localeCompare(b.name)).slice(0, 40);
  const matched = top.map((t) => goldOf.get(norm(t.name))).filter((m) => m !== undefined);
  const uses = new Map<number, number>();
  for (const m of matched) uses.set(m, (uses.get(m) ?? 0) + 1);
  const present = new Set(topics.map((t) => goldOf.get(norm(t.name))));
  const majors = gold.map((g, i) => [g, i] as const).filter(([g]) => g.major);
  return {
    match: matched.length / top.length,
    junk: top.filter((t) => notTopics.has(t.name.toLowerCase())).length / top.length,
    twice: [...uses.values()].filter((n) => n > 1).length,
    majors: majors.filter(([, i]) => present.has(i)).length / majors.length,
  };
}

async function serviceTopics(): Promise<CountedTopic[]> {
  const db = await openPgliteDb(null);
  const demo = await startDemoFeeds({ datasetPath: path.join(WEEK, 'items.jsonl') });
  try {
    await migrate(db);
    const logger = createSilentLogger();
    await loadSources(db, demo.sources, logger);
    const started = performance.now();
    await runPass(
      createWorkerDeps(db, loadConfig({ ALLOW_PRIVATE_HOSTS: demo.hostPort, FETCH_PER_HOST: '8' }), logger),
      { everyFeed: true },
    );
    console.log(`The week through the worker into PGlite: ${((performance.now() - started) / 1000).toFixed(1)} s`);
    const rows = await db.query<{ name: string; stories: number }>(
      `SELECT t.name, count(s.id)::int AS stories FROM topics t
         JOIN story_topics st ON st.topic_id = t.id JOIN stories s ON s.id = st.story_id AND s.merged_into IS NULL
       GROUP BY t.id`,
    );
    return rows.rows;
  } finally {
    await demo.close();
    await db.close();
  }
}

function legacyTopics(): CountedTopic[] {
  const { items } = parseItemLines(fs.readFileSync(path.join(WEEK, 'items.jsonl'), 'utf8'));
  // Every story of the week kept to the end (none goes quiet), each tagged as the old extractor tagged it.
  const grouping = new OnlineGrouping({ quietAfterMs: Number.MAX_SAFE_INTEGER });
  for (const item of sortByPublished(items)) grouping.push(item);
  const counts = new Map<string, CountedTopic>();
  for (const story of grouping.index.activeStories()) {
    for (const t of legacyStoryTopics(story)) {
      const c = counts.get(t.slug) ?? { name: t.name, stories: 0 };
      c.stories++;
      counts.set(t.slug, c);
    }
  }
  return [...counts.values()];
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const gold = JSON.parse(fs.readFileSync(path.join(WEEK, 'topics.json'), 'utf8')) as GoldTopic[];
  const notTopics = new Set(
    fs
      .readFileSync(path.join(WEEK, 'not-topics.txt'), 'utf8')
      .split('\n')
      .map((l) => l.trim().toLowerCase())
      .filter(Boolean),
  );
  const before = measureTopics(legacyTopics(), gold, notTopics);
  const stored = await serviceTopics();
  const now = measureTopics(stored, gold, notTopics);
  const pct = (x: number) => `${Math.round(x * 100)}%`;
  const met = (ok: boolean) => (ok ? 'met' : 'NOT met');
  printTable(
    `Topics of the demo week (${stored.length.toLocaleString('en-US')} stored) against its ${gold.length} hand-made topics`,
    ['measure', 'before (legacy extractor)', 'storyline', 'target', ''],
    [
      [
        'top 40 topics that are a gold topic (name or alias)',
        pct(before.match),
        pct(now.match),
        '≥ 85%',
        met(now.match >= 0.85),
      ],
      ['top 40 topics that are not-topics.txt strings', pct(before.junk), pct(now.junk), '≤ 5%', met(now.junk <= 0.05)],
      ['gold topics standing twice in the top 40', before.twice, now.twice, '0', met(now.twice === 0)],
      [
        'gold major topics present among all topics',
        pct(before.majors),
        pct(now.majors),
        '≥ 90%',
        met(now.majors >= 0.9),
      ],
    ],
  );
  const top = [...stored].sort((a, b) => b.stories - a.stories || a.name.localeCompare(b.name)).slice(0, 40);
  console.log(`\nTop 40 as stored: ${top.map((t) => `${t.name} (${t.stories})`).join(', ')}`);
}
