// Following storyline merges for the read side. A storyline merged into another keeps its row and
// its id (merged_into names the survivor), and a survivor may merge again, so merges form chains.
// The story writer moves a merged storyline's stories to the survivor; a story naming a merged one
// is still read as the survivor's. Each step is one query over a whole set of ids (primary key or
// storylines_merged_idx): a recursive query would be planned blind to the chains' real, tiny size.
import type { Queryable } from '../db/db.js';

/** A storyline as a story names it: enough to link to it and say how large it is. */
export interface StorylineRef {
  id: number;
  title: string;
  storyCount: number;
  updatedAt: Date;
}

// Chains stop at this depth: a guard against a cycle the writer never makes, far beyond any chain it does.
export const MAX_MERGE_DEPTH = 32;

const SELECT_STORYLINE_REFS =
  'SELECT id, merged_into, title, story_count, updated_at FROM storylines WHERE id = ANY($1::int8[])';
const SELECT_MERGED_INTO_ANY =
  'SELECT id, merged_into AS into FROM storylines WHERE merged_into = ANY($1::int8[]) AND merged_into IS NOT NULL';

interface RefRow {
  id: number;
  merged_into: number | null;
  title: string;
  story_count: number;
  updated_at: Date;
}

/** The live storyline each id resolves to, up its merges; ids not stored (or in a cycle) are left out. */
export async function resolveStorylines(q: Queryable, ids: number[]): Promise<Map<number, StorylineRef>> {
  const out = new Map<number, StorylineRef>();
  // Where each id's walk stands: the storyline reached, and the ids whose walk reached it.
  let at = new Map<number, number[]>(ids.map((id) => [id, [id]]));
  for (let depth = 0; at.size > 0 && depth <= MAX_MERGE_DEPTH; depth++) {
    const rows = (await q.query<RefRow>(SELECT_STORYLINE_REFS, [[...at.keys()]])).rows;
    const next = new Map<number, number[]>();
    for (const r of rows) {
      const from = at.get(r.id)!;
      if (r.merged_into === null)
        for (const start of from)
          out.set(start, { id: r.id, title: r.title, storyCount: r.story_count, updatedAt: r.updated_at });
      else next.set(r.merged_into, [...(next.get(r.merged_into) ?? []), ...from]);
    }
    at = next;
  }
  return out;
}

/** Each live storyline's own id and every id merged into it, at any depth, as parallel arrays. */
export async function withMergedStorylines(q: Queryable, roots: number[]): Promise<{ roots: number[]; ids: number[] }> {
  const out = { roots: [...roots], ids: [...roots] };
  const seen = new Set(roots);
  let frontier = new Map(roots.map((r) => [r, r]));
  for (let depth = 0; frontier.size > 0 && depth < MAX_MERGE_DEPTH; depth++) {
    const rows = (await q.query<{ id: number; into: number }>(SELECT_MERGED_INTO_ANY, [[...frontier.keys()]])).rows;
    const next = new Map<number, number>();
    for (const r of rows) {
      const root = frontier.get(r.into)!;
      if (seen.has(r.id)) continue;
      seen.add(r.id);
      out.roots.push(root);
      out.ids.push(r.id);
      next.set(r.id, root);
    }
    frontier = next;
  }
  return out;
}
