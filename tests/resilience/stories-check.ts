// What must hold of stories whatever crashed or ran concurrently: every item in exactly one live
// story, its assignment row agreeing, and each story's item_count equal to the items it holds.
import { expect } from 'vitest';
import type { Queryable } from '../../src/store/db/db.js';

const UNASSIGNED = 'SELECT count(*)::int AS n FROM items WHERE story_id IS NULL';

// An item's assignment row names the story the item points at.
const DISAGREEING = `
SELECT i.id::int AS id, i.story_id::int AS story_id, a.story_id::int AS assigned
FROM items i LEFT JOIN story_assignments a ON a.item_id = i.id
WHERE a.story_id IS DISTINCT FROM i.story_id`;

// Items point at live stories, never at one merged into another.
const IN_MERGED =
  'SELECT i.id::int AS id FROM items i JOIN stories s ON s.id = i.story_id WHERE s.merged_into IS NOT NULL';

const MISCOUNTED = `
SELECT s.id::int AS id, s.item_count, (SELECT count(*)::int FROM items i WHERE i.story_id = s.id) AS actual
FROM stories s
WHERE s.merged_into IS NULL AND s.item_count <> (SELECT count(*) FROM items i WHERE i.story_id = s.id)`;

export async function expectStoriesConsistent(db: Queryable): Promise<void> {
  expect((await db.query<{ n: number }>(UNASSIGNED)).rows[0]!.n, 'items without a story').toBe(0);
  expect((await db.query(DISAGREEING)).rows, 'items whose assignment names another story').toEqual([]);
  expect((await db.query(IN_MERGED)).rows, 'items left in merged stories').toEqual([]);
  expect((await db.query(MISCOUNTED)).rows, 'stories whose item_count is off').toEqual([]);
}
