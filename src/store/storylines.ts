// The storyline side of the story writer: after each batch, the stories it linked and the storylines it
// merged are written, one statement per table, and the storylines they touch refreshed. A process whose
// stories another process changed rebuilds its linker from the stored storylines. `recluster` keeps
// storyline ids across the rebuild (see KEPT_STORYLINE_IDS).
import type { StoryIndex } from '../stories/story-index.js';
import type { OnlineStorylines } from '../stories/storylines/online.js';
import type { Db, Tx } from './db/db.js';
import * as L from './storyline-queries.js';
import { LOCK_STORIES, STORY_LOCK } from './story-queries.js';
import { profileFromStored, writeStoryProfiles } from './story-profiles.js';
import type { StoryProfile } from '../stories/storylines/profile.js';

/**
 * Writes what the linker changed, with the profiles of the stories it linked (rows before `windowStart`
 * dropped), and refreshes every storyline the batch's stories are in.
 */
export async function writeStorylines(
  tx: Tx,
  lines: OnlineStorylines,
  touchedStories: readonly number[],
  now: Date,
  windowStart: Date,
): Promise<void> {
  const { stories, merges } = lines.takeChanges();
  await writeStoryProfiles(
    tx,
    stories.flatMap((id) => lines.index.profile(id) ?? []),
    windowStart,
  );
  const storyIds = [...new Set([...stories, ...touchedStories])].filter((id) => lines.storylineOf(id) !== undefined);
  const lineOf = storyIds.map((id) => lines.storylineOf(id)!);
  const survivors = merges.map((m) => lines.index.resolve(m.into));
  const affected = [...new Set([...lineOf, ...survivors])].sort((a, b) => a - b);
  if (affected.length === 0) return;
  await tx.query(L.ENSURE_STORYLINES, [[...new Set([...affected, ...merges.map((m) => m.from)])], now]);
  await tx.query(L.SET_STORY_STORYLINES, [storyIds, lineOf]);
  if (merges.length) {
    const from = merges.map((m) => m.from);
    await tx.query(L.MOVE_MERGED_STORYLINES, [from, survivors]);
    await tx.query(L.MARK_STORYLINES_MERGED, [from, survivors, now]);
  }
  await tx.query(L.REFRESH_STORYLINES, [affected, affected.map((id) => lines.index.title(id) || null), now]);
}

/**
 * Rebuilds the linker from the storylines stored for the stories the index holds, oldest story first,
 * each with its stored profile. Stories stored before storylines existed are linked now, and written
 * with the next batch; profiles read now (none was stored: written before sql/016, or its row left
 * with the window while the story grew) are stored at once, so the next fresh process reads them.
 */
export async function restoreStorylines(
  tx: Tx,
  lines: OnlineStorylines,
  index: StoryIndex,
  storyIds: readonly number[],
  now: number,
): Promise<void> {
  const rows = (
    await tx.query<{ id: number; storyline_id: number; profile: unknown }>(L.SELECT_STORY_STORYLINES, [storyIds])
  ).rows;
  const stored = new Map(rows.map((r) => [Number(r.id), Number(r.storyline_id)]));
  const profiles = new Map<number, StoryProfile>(
    rows.flatMap((r) => (r.profile ? [[Number(r.id), profileFromStored(r.profile)] as const] : [])),
  );
  const merged = new Map(
    (
      await tx.query<{ id: number; merged_into: number }>(L.SELECT_STORYLINE_MERGED_INTO, [
        [...new Set(stored.values())],
      ])
    ).rows.map((r) => [Number(r.id), Number(r.merged_into)]),
  );
  const computed: StoryProfile[] = [];
  for (const id of [...storyIds].sort((a, b) => a - b)) {
    let line = stored.get(id) ?? null;
    // A story still pointing at a merged storyline (written before MOVE_MERGED_STORYLINES existed) follows it once.
    if (line !== null) line = merged.get(line) ?? line;
    lines.restore(index, id, line, now, profiles.get(id));
    const read = line !== null && !profiles.has(id) ? lines.index.profile(id) : undefined;
    if (read) computed.push(read);
  }
  await writeStoryProfiles(tx, computed);
}

/** Before `recluster` clears the stories: each item's storyline. */
export async function snapshotStorylines(tx: Tx): Promise<void> {
  await tx.exec(L.SNAPSHOT_ITEM_STORYLINES);
}

/** After `recluster`: new storylines take back the ids of the old ones they continue; the rest resolve to them. */
export async function keepStorylineIds(db: Db): Promise<{ kept: number; resolved: number }> {
  return db.transaction(async (tx) => {
    await tx.query(LOCK_STORIES, [STORY_LOCK]);
    const rows = (await tx.query<{ new_id: number; old_id: number; kept: boolean }>(L.KEPT_STORYLINE_IDS)).rows;
    const kept = rows.filter((r) => r.kept);
    const resolved = rows.filter((r) => !r.kept);
    const newIds = kept.map((r) => Number(r.new_id));
    const oldIds = kept.map((r) => Number(r.old_id));
    await tx.query(L.REPOINT_RENUMBERED_STORIES, [newIds, oldIds]);
    await tx.query(L.RENUMBER_STORYLINES, [newIds, oldIds]);
    await tx.query(L.REPOINT_MERGED_RENUMBERED, [newIds, oldIds]);
    await tx.query(L.DELETE_RENUMBERED, [newIds]);
    await tx.query(L.RESOLVE_OLD_STORYLINES, [
      resolved.map((r) => Number(r.old_id)),
      resolved.map((r) => Number(r.new_id)),
    ]);
    await tx.query(L.EMPTY_UNMATCHED_STORYLINES);
    await tx.query(L.CLEAR_RECLUSTER_SNAPSHOT);
    return { kept: kept.length, resolved: resolved.length };
  });
}
