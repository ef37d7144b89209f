// Test data written straight into the schema, the way the worker and the stories stage leave it:
// outlets → feeds → items → stories (items.story_id, items.copy_of) → story_assignments → topics →
// storylines (stories.storyline_id, the counts the story writer keeps).
import type { Db } from '../../src/store/db/db.js';

export interface SeedItem {
  outlet: string;
  title: string;
  /** Default: a unique https URL; null for an item without a link. */
  url?: string | null;
  summary?: string;
  publishedAt: string;
  /** Index (in this story's items) of the item this one is a wire copy of. */
  copyOf?: number;
  /** Publisher named by the entry (Google News). */
  source?: string;
  reason?: string;
  sharedTerms?: string[];
}

export interface SeedTopic {
  slug: string;
  name: string;
  kind?: string;
}

export interface SeedStory {
  headline: string;
  summary?: string;
  items: SeedItem[];
  topics?: SeedTopic[];
  /** Default: the newest item's time. */
  updatedAt?: string;
  /**
   * The title of the storyline the story is part of: the live storyline of that title, else a new one
   * whose id is this story's (as the story writer numbers them). Default: not linked yet.
   */
  storyline?: string;
}

export interface SeededStory {
  id: number;
  itemIds: number[];
  storylineId: number | null;
}

let urlCounter = 0;

const REFRESH_TOPIC_COUNTS = `UPDATE topics t SET story_count = (
  SELECT count(*) FROM story_topics st JOIN stories s ON s.id = st.story_id AND s.merged_into IS NULL WHERE st.topic_id = t.id)`;

async function outletId(db: Db, name: string): Promise<number> {
  await db.query('INSERT INTO outlets (name, site) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [
    name,
    `https://${slug(name)}.example/`,
  ]);
  return (await db.query<{ id: number }>('SELECT id FROM outlets WHERE name = $1', [name])).rows[0]!.id;
}

async function feedId(db: Db, outlet: string): Promise<number> {
  const oid = await outletId(db, outlet);
  const url = `https://${slug(outlet)}.example/feed.xml`;
  await db.query(
    'INSERT INTO feeds (url, outlet_id, title, last_fetched_at, last_success_at, last_status) VALUES ($1, $2, $3, now(), now(), 200) ON CONFLICT (url) DO NOTHING',
    [url, oid, `${outlet} — Top stories`],
  );
  return (await db.query<{ id: number }>('SELECT id FROM feeds WHERE url = $1', [url])).rows[0]!.id;
}

export const slug = (s: string): string =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '') || 'x';

async function insertItem(db: Db, item: SeedItem): Promise<number> {
  const fid = await feedId(db, item.outlet);
  const url = item.url === undefined ? `https://${slug(item.outlet)}.example/news/${++urlCounter}` : item.url;
  const res = await db.query<{ id: number }>(
    `INSERT INTO items (feed_id, item_key, url, canonical_url, title, summary, outlet_name, published_at, content_hash, changed_at)
     VALUES ($1, $2, $3, $3, $4, $5, $6, $7, 'h', $7) RETURNING id`,
    [fid, url ?? `key-${++urlCounter}`, url, item.title, item.summary ?? '', item.source ?? null, item.publishedAt],
  );
  return res.rows[0]!.id;
}

async function topicId(db: Db, t: SeedTopic): Promise<number> {
  await db.query('INSERT INTO topics (slug, name, kind) VALUES ($1, $2, $3) ON CONFLICT (slug) DO NOTHING', [
    t.slug,
    t.name,
    t.kind ?? 'theme',
  ]);
  return (await db.query<{ id: number }>('SELECT id FROM topics WHERE slug = $1', [t.slug])).rows[0]!.id;
}

/** Writes one story with its items, assignments and topics; returns the ids. */
export async function seedStory(db: Db, story: SeedStory): Promise<SeededStory> {
  const itemIds: number[] = [];
  for (const item of story.items) itemIds.push(await insertItem(db, item));
  const times = story.items.map((i) => new Date(i.publishedAt).getTime());
  const first = new Date(Math.min(...times)).toISOString();
  const last = new Date(Math.max(...times)).toISOString();
  const outlets = new Set(story.items.filter((i) => i.copyOf === undefined).map((i) => i.source ?? i.outlet));
  // Weight and significance as the story writer computes them (store/stories.ts REFRESH_STORY_STATS).
  const early = new Set(
    story.items
      .filter((i) => i.copyOf === undefined && new Date(i.publishedAt).getTime() < Date.parse(first) + 12 * 3_600_000)
      .map((i) => i.source ?? i.outlet),
  );
  const weight = outlets.size + Math.sqrt(story.items.length - outlets.size) + early.size / 4;
  const res = await db.query<{ id: number }>(
    `INSERT INTO stories (headline, summary, representative_item_id, first_seen_at, last_seen_at, item_count, outlet_count, updated_at, weight, significance)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::real, ln($9::float8) / ln(2) + extract(epoch FROM $5::timestamptz) / 86400) RETURNING id`,
    [
      story.headline,
      story.summary ?? '',
      itemIds[0],
      first,
      last,
      itemIds.length,
      outlets.size,
      story.updatedAt ?? last,
      weight,
    ],
  );
  const id = res.rows[0]!.id;
  for (const [i, item] of story.items.entries()) {
    const copyOf = item.copyOf === undefined ? null : itemIds[item.copyOf]!;
    await db.query('UPDATE items SET story_id = $1, copy_of = $2 WHERE id = $3', [id, copyOf, itemIds[i]]);
    const reason = item.reason ?? (i === 0 ? 'new-story' : copyOf !== null ? 'copy' : 'similar');
    await db.query(
      'INSERT INTO story_assignments (item_id, story_id, reason, score, shared_terms) VALUES ($1, $2, $3, $4, $5)',
      [itemIds[i], id, reason, i === 0 ? 1 : 0.62, item.sharedTerms ?? []],
    );
  }
  for (const [n, t] of (story.topics ?? []).entries()) {
    await db.query('INSERT INTO story_topics (story_id, topic_id, weight) VALUES ($1, $2, $3)', [
      id,
      await topicId(db, t),
      1 - n * 0.1,
    ]);
  }
  // The story writer keeps each topic's live story count; the serving side reads it.
  await db.query(REFRESH_TOPIC_COUNTS);
  const storylineId = story.storyline === undefined ? null : await linkStoryline(db, id, story.storyline);
  return { id, itemIds, storylineId };
}

const FIND_STORYLINE = 'SELECT id FROM storylines WHERE title = $1 AND merged_into IS NULL ORDER BY id LIMIT 1';
const INSERT_STORYLINE =
  'INSERT INTO storylines (id, title, first_seen_at, last_seen_at) SELECT id, $2, first_seen_at, last_seen_at FROM stories WHERE id = $1';

// A storyline's counts as the story writer keeps them: over the live stories naming it or any
// storyline merged into it; outlets distinct over their items, copies excluded.
const REFRESH_STORYLINE = `WITH RECURSIVE members(id) AS (
  SELECT $1::int8 UNION ALL SELECT l.id FROM storylines l JOIN members m ON l.merged_into = m.id
), live AS (
  SELECT s.* FROM stories s JOIN members m ON s.storyline_id = m.id WHERE s.merged_into IS NULL
)
UPDATE storylines SET
  story_count = (SELECT count(*) FROM live),
  item_count = (SELECT coalesce(sum(item_count), 0) FROM live),
  outlet_count = (SELECT count(DISTINCT coalesce(nullif(i.outlet_name, ''), o.name)) FROM live s JOIN items i ON i.story_id = s.id
    JOIN feeds f ON f.id = i.feed_id JOIN outlets o ON o.id = f.outlet_id WHERE i.copy_of IS NULL),
  weight = (SELECT coalesce(sum(weight), 0) FROM live),
  first_seen_at = coalesce((SELECT min(first_seen_at) FROM live), first_seen_at),
  last_seen_at = coalesce((SELECT max(last_seen_at) FROM live), last_seen_at),
  updated_at = coalesce((SELECT max(updated_at) FROM live), updated_at)
WHERE id = $1`;

/** Links a story to the live storyline of that title (a new one when there is none); returns its id. */
export async function linkStoryline(db: Db, storyId: number, title: string): Promise<number> {
  let id = (await db.query<{ id: number }>(FIND_STORYLINE, [title])).rows[0]?.id;
  if (id === undefined) {
    await db.query(INSERT_STORYLINE, [storyId, title]);
    id = storyId;
  }
  await db.query('UPDATE stories SET storyline_id = $1 WHERE id = $2', [id, storyId]);
  await refreshStoryline(db, id);
  return id;
}

/** Recounts a storyline from its stories, as the story writer does when one joins or grows. */
export async function refreshStoryline(db: Db, id: number): Promise<void> {
  await db.query(REFRESH_STORYLINE, [id]);
}

/**
 * Merges one storyline into another as linking does when it finds them one situation: the merged row
 * keeps resolving, and its stories still name it (readers must follow the merge).
 */
export async function mergeStoryline(db: Db, from: number, into: number): Promise<void> {
  await db.query(
    'UPDATE storylines SET merged_into = $2, story_count = 0, item_count = 0, outlet_count = 0, weight = 0 WHERE id = $1',
    [from, into],
  );
  await refreshStoryline(db, into);
}

/** Adds an item to an existing story the way the stories stage does: counts and updated_at move. */
export async function growStory(db: Db, storyId: number, item: SeedItem, updatedAt: string): Promise<number> {
  const id = await insertItem(db, item);
  await db.query('UPDATE items SET story_id = $1 WHERE id = $2', [storyId, id]);
  await db.query("INSERT INTO story_assignments (item_id, story_id, reason, score) VALUES ($1, $2, 'similar', 0.5)", [
    id,
    storyId,
  ]);
  await db.query(
    `UPDATE stories SET item_count = item_count + 1, outlet_count = outlet_count + 1,
       last_seen_at = greatest(last_seen_at, $2::timestamptz), updated_at = $3 WHERE id = $1`,
    [storyId, item.publishedAt, updatedAt],
  );
  return id;
}

export const TOPICS = {
  conclave: { slug: 'papal-conclave', name: 'Papal conclave', kind: 'theme' },
  vatican: { slug: 'vatican-city', name: 'Vatican City', kind: 'place' },
  trade: { slug: 'us-uk-trade-deal', name: 'US–UK trade deal', kind: 'theme' },
  india: { slug: 'india', name: 'India', kind: 'place' },
  pakistan: { slug: 'pakistan', name: 'Pakistan', kind: 'place' },
} as const;

/** A small news week: four stories, one with a wire copy and a Google News item. */
export async function seedNewsWeek(db: Db): Promise<SeededStory[]> {
  return [
    await seedStory(db, {
      headline: 'Cardinals elect first American pope, Leo XIV',
      summary: 'Robert Prevost of Chicago was chosen on the second day of the conclave.',
      topics: [TOPICS.conclave, TOPICS.vatican],
      items: [
        {
          outlet: 'BBC News',
          title: 'White smoke: Cardinals elect new pope',
          publishedAt: '2025-05-08T16:10:00Z',
          summary: 'White smoke rose over the Sistine Chapel.',
        },
        {
          outlet: 'The Guardian',
          title: 'Robert Prevost becomes Pope Leo XIV',
          publishedAt: '2025-05-08T17:02:00Z',
          sharedTerms: ['pope', 'prevost', 'conclave'],
        },
        {
          outlet: 'Associated Press',
          title: 'Chicago-born Prevost is the new pope',
          publishedAt: '2025-05-08T17:20:00Z',
        },
        {
          outlet: 'ABC News',
          title: 'Chicago-born Prevost is the new pope',
          publishedAt: '2025-05-08T17:35:00Z',
          copyOf: 2,
        },
        {
          outlet: 'Google News',
          source: 'Reuters',
          title: 'Pope Leo XIV greets crowds in St Peter’s Square',
          publishedAt: '2025-05-08T18:00:00Z',
        },
      ],
    }),
    await seedStory(db, {
      headline: 'US and UK agree trade deal cutting car tariffs',
      summary: 'The first deal since the tariffs were announced lowers duties on British cars.',
      topics: [TOPICS.trade],
      items: [
        { outlet: 'Financial Times', title: 'US and UK strike trade deal', publishedAt: '2025-05-08T14:00:00Z' },
        { outlet: 'BBC News', title: 'What is in the US-UK trade deal?', publishedAt: '2025-05-08T15:30:00Z' },
      ],
    }),
    await seedStory(db, {
      headline: 'India strikes sites in Pakistan after Kashmir attack',
      summary: 'Pakistan says it shot down Indian jets; both sides report casualties.',
      topics: [TOPICS.india, TOPICS.pakistan],
      items: [
        {
          outlet: 'Al Jazeera',
          title: 'India launches missile strikes on Pakistan',
          publishedAt: '2025-05-07T01:00:00Z',
        },
        {
          outlet: 'Times of India',
          title: 'Operation Sindoor: India hits nine sites',
          publishedAt: '2025-05-07T02:30:00Z',
        },
        { outlet: 'BBC News', title: 'India and Pakistan: what we know', publishedAt: '2025-05-07T06:00:00Z' },
      ],
    }),
    await seedStory(db, {
      headline: 'Mexico’s president says she refused US troops offer',
      items: [
        {
          outlet: 'The Guardian',
          title: 'Sheinbaum says she rejected Trump offer of US troops',
          publishedAt: '2025-05-05T12:00:00Z',
        },
      ],
    }),
  ];
}

export const STORYLINES = {
  conclave: '2025 papal conclave',
  india: 'India–Pakistan conflict, May 2025',
  trade: 'US and UK agree trade deal cutting car tariffs',
} as const;

/**
 * A week of storylines: the conclave over four days (run-up, black smoke, the election, the first
 * Mass), the India–Pakistan conflict over four with a quiet day (9 May), a trade deal that is a
 * storyline of one story, and a story not linked yet. Returned in that order, by storyline.
 */
export async function seedStorylineWeek(
  db: Db,
): Promise<{ conclave: SeededStory[]; india: SeededStory[]; trade: SeededStory; unlinked: SeededStory }> {
  const conclave = [
    await seedStory(db, {
      headline: 'Cardinals gather in Rome as the conclave nears',
      storyline: STORYLINES.conclave,
      topics: [TOPICS.conclave, TOPICS.vatican],
      items: [
        { outlet: 'BBC News', title: 'Cardinals arrive for the conclave', publishedAt: '2025-05-06T09:00:00Z' },
        { outlet: 'The Guardian', title: 'Who could be the next pope?', publishedAt: '2025-05-06T10:30:00Z' },
      ],
    }),
    await seedStory(db, {
      headline: 'Black smoke on the conclave’s first day',
      storyline: STORYLINES.conclave,
      topics: [TOPICS.conclave],
      items: [
        { outlet: 'BBC News', title: 'Black smoke: no pope yet', publishedAt: '2025-05-07T19:05:00Z' },
        {
          outlet: 'Associated Press',
          title: 'Black smoke rises from the Sistine Chapel',
          publishedAt: '2025-05-07T19:10:00Z',
        },
        {
          outlet: 'Google News',
          source: 'Reuters',
          title: 'No pope elected on first ballot',
          publishedAt: '2025-05-07T19:30:00Z',
        },
      ],
    }),
    await seedStory(db, {
      headline: 'Cardinals elect first American pope, Leo XIV',
      summary: 'Robert Prevost of Chicago was chosen on the second day of the conclave.',
      storyline: STORYLINES.conclave,
      topics: [TOPICS.conclave, TOPICS.vatican],
      items: [
        { outlet: 'BBC News', title: 'White smoke: Cardinals elect new pope', publishedAt: '2025-05-08T16:10:00Z' },
        { outlet: 'The Guardian', title: 'Robert Prevost becomes Pope Leo XIV', publishedAt: '2025-05-08T17:02:00Z' },
        {
          outlet: 'Associated Press',
          title: 'Chicago-born Prevost is the new pope',
          publishedAt: '2025-05-08T17:20:00Z',
        },
        {
          outlet: 'ABC News',
          title: 'Chicago-born Prevost is the new pope',
          publishedAt: '2025-05-08T17:35:00Z',
          copyOf: 2,
        },
        {
          outlet: 'Al Jazeera',
          title: 'Pope Leo XIV greets crowds in St Peter’s Square',
          publishedAt: '2025-05-08T18:00:00Z',
        },
      ],
    }),
    await seedStory(db, {
      headline: 'Leo XIV celebrates his first Mass as pope',
      storyline: STORYLINES.conclave,
      topics: [TOPICS.vatican],
      items: [
        { outlet: 'The Guardian', title: 'Pope Leo XIV celebrates first Mass', publishedAt: '2025-05-09T10:00:00Z' },
        {
          outlet: 'Associated Press',
          title: 'Leo XIV says Mass with the cardinals',
          publishedAt: '2025-05-09T10:40:00Z',
        },
      ],
    }),
  ];
  const india = [
    await seedStory(db, {
      headline: 'India strikes sites in Pakistan after Kashmir attack',
      storyline: STORYLINES.india,
      topics: [TOPICS.india, TOPICS.pakistan],
      items: [
        {
          outlet: 'Al Jazeera',
          title: 'India launches missile strikes on Pakistan',
          publishedAt: '2025-05-07T01:00:00Z',
        },
        {
          outlet: 'Times of India',
          title: 'Operation Sindoor: India hits nine sites',
          publishedAt: '2025-05-07T02:30:00Z',
        },
        { outlet: 'BBC News', title: 'India and Pakistan: what we know', publishedAt: '2025-05-07T06:00:00Z' },
      ],
    }),
    await seedStory(db, {
      headline: 'India and Pakistan exchange drone attacks',
      storyline: STORYLINES.india,
      topics: [TOPICS.pakistan, TOPICS.india],
      items: [
        { outlet: 'Al Jazeera', title: 'Drones over Lahore and Jammu', publishedAt: '2025-05-08T08:00:00Z' },
        {
          outlet: 'Times of India',
          title: 'Pakistan drones shot down, India says',
          publishedAt: '2025-05-08T09:00:00Z',
        },
      ],
    }),
    await seedStory(db, {
      headline: 'India and Pakistan agree to a ceasefire',
      storyline: STORYLINES.india,
      topics: [TOPICS.india, TOPICS.pakistan],
      items: [
        { outlet: 'BBC News', title: 'India and Pakistan agree ceasefire', publishedAt: '2025-05-10T15:00:00Z' },
        {
          outlet: 'Al Jazeera',
          title: 'Ceasefire announced after four days of fighting',
          publishedAt: '2025-05-10T15:30:00Z',
        },
        { outlet: 'Times of India', title: 'Guns fall silent on the border', publishedAt: '2025-05-10T16:00:00Z' },
      ],
    }),
  ];
  const trade = await seedStory(db, {
    headline: STORYLINES.trade,
    storyline: STORYLINES.trade,
    topics: [TOPICS.trade],
    items: [
      { outlet: 'Financial Times', title: 'US and UK strike trade deal', publishedAt: '2025-05-08T14:00:00Z' },
      { outlet: 'BBC News', title: 'What is in the US-UK trade deal?', publishedAt: '2025-05-08T15:30:00Z' },
    ],
  });
  const unlinked = await seedStory(db, {
    headline: 'Mexico’s president says she refused US troops offer',
    items: [
      {
        outlet: 'The Guardian',
        title: 'Sheinbaum says she rejected Trump offer of US troops',
        publishedAt: '2025-05-05T12:00:00Z',
      },
    ],
  });
  return { conclave, india, trade, unlinked };
}

/** Text a hostile feed might send: markup, CDATA terminators, control characters, script URLs. */
export const HOSTILE = {
  headline:
    'Breaking </item><item><title>injected</title> ]]> twice ]]> <script>alert(1)</script> & &amp; <b>bold</b>\u0001',
  summary: '<img src=x onerror="alert(2)"> ]]> "quoted" \'single\'',
  topic: { slug: 'hostile-topic', name: 'Topic <script>alert(3)</script> & "co"', kind: 'theme' },
  outlet: 'Outlet <svg onload=alert(4)> & Co',
  itemTitle: '<script>alert(5)</script>]]></content:encoded>',
  itemUrl: 'javascript:alert(6)',
  itemSummary: '</summary></entry><entry><title>x</title>',
} as const;

/** The hostile text as it can come out of XML 1.0: without the control characters XML forbids. */
export const xmlSafe = (s: string): string => s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');

export async function seedHostileStory(db: Db, publishedAt = '2025-05-09T09:00:00Z'): Promise<SeededStory> {
  return seedStory(db, {
    headline: HOSTILE.headline,
    summary: HOSTILE.summary,
    topics: [HOSTILE.topic],
    items: [
      {
        outlet: HOSTILE.outlet,
        title: HOSTILE.itemTitle,
        url: HOSTILE.itemUrl,
        summary: HOSTILE.itemSummary,
        publishedAt,
      },
      { outlet: 'Data URL Times', title: 'data link', url: 'data:text/html,<script>alert(7)</script>', publishedAt },
    ],
  });
}
