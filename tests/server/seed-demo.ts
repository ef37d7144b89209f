// Real headlines from the demo week (../shared/datasets/demo-week) grouped into five stories by
// hand-picked patterns: realistic text for the browser test and the README screenshot.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db } from '../../src/store/db/db.js';
import { seedStory, type SeedTopic, type SeededStory } from './seed.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const DEMO_WEEK = path.resolve(REPO, '../shared/datasets/demo-week/items.jsonl');

interface DemoItem {
  title: string;
  summary: string;
  url: string;
  outlet: string;
  published: string;
}

interface Pattern {
  headline: string;
  match: RegExp;
  topics: SeedTopic[];
}

const PATTERNS: Pattern[] = [
  {
    headline: 'Cardinals elect Robert Prevost as Pope Leo XIV, the first American pope',
    match: /Leo XIV|Prevost|first American pope/i,
    topics: [
      { slug: 'papal-conclave', name: 'Papal conclave' },
      { slug: 'vatican-city', name: 'Vatican City', kind: 'place' },
      { slug: 'robert-prevost', name: 'Robert Prevost', kind: 'person' },
    ],
  },
  {
    headline: 'India strikes Pakistan in Operation Sindoor after the Kashmir attack',
    match: /Operation Sindoor|India(n)? (launches|strikes|missile)|strikes on Pakistan/i,
    topics: [
      { slug: 'india', name: 'India', kind: 'place' },
      { slug: 'pakistan', name: 'Pakistan', kind: 'place' },
      { slug: 'kashmir', name: 'Kashmir', kind: 'place' },
    ],
  },
  {
    headline: 'UK and India agree a trade deal cutting tariffs',
    match: /(UK|Britain).{0,25}India.{0,25}trade|India.{0,25}(UK|Britain).{0,30}trade/i,
    topics: [
      { slug: 'india', name: 'India', kind: 'place' },
      { slug: 'trade', name: 'Trade' },
    ],
  },
  {
    headline: 'Trump threatens a 100% tariff on films made abroad',
    match: /film tariff|movie tariff|foreign films|foreign movie|films made/i,
    topics: [
      { slug: 'tariffs', name: 'Tariffs' },
      { slug: 'hollywood', name: 'Hollywood', kind: 'organization' },
    ],
  },
  {
    headline: 'Sheinbaum says she refused Trump’s offer of US troops in Mexico',
    match: /Sheinbaum.{0,60}troop|troops? (in|into) Mexico/i,
    topics: [{ slug: 'mexico', name: 'Mexico', kind: 'place' }],
  },
];

const ITEMS_PER_STORY = 9;

/** Five stories of real coverage; throws when the dataset is missing (callers check DEMO_WEEK). */
export async function seedDemoWeek(db: Db): Promise<SeededStory[]> {
  const items = fs
    .readFileSync(DEMO_WEEK, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as DemoItem);
  const seeded: SeededStory[] = [];
  for (const p of PATTERNS) {
    const seen = new Set<string>();
    const picked = items
      .filter((i) => p.match.test(i.title) && !seen.has(i.outlet) && seen.add(i.outlet))
      .slice(0, ITEMS_PER_STORY);
    if (picked.length === 0) continue;
    seeded.push(
      await seedStory(db, {
        headline: p.headline,
        summary: picked[0]!.summary.slice(0, 280),
        topics: p.topics,
        items: picked.map((i) => ({
          outlet: i.outlet,
          title: i.title,
          url: i.url,
          summary: i.summary,
          publishedAt: i.published,
        })),
      }),
    );
  }
  return seeded;
}
