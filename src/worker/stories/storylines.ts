// The storyline side of the story writer: after each batch, the stories it linked and the storylines it
// merged are written, and the storylines they touch refreshed. A process whose stories another process
// changed rebuilds its linker from the stored storylines.
import type { StoryProfile } from '../../model.js';
import type { Tx } from '../../store/db/db.js';
import { writeStoryProfiles } from '../../store/story-profiles.js';
import {
  ensureStorylines,
  mergeStorylines,
  readStorylinesMergedInto,
  readStoryStorylines,
  refreshStorylines,
  setStoryStorylines,
} from '../../store/storylines.js';
import type { StoryAssigner } from '../../stories/group/assign.js';
import type { OnlineStorylines } from '../../stories/storylines/online.js';

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
  await ensureStorylines(tx, [...new Set([...affected, ...merges.map((m) => m.from)])], now);
  await setStoryStorylines(tx, storyIds, lineOf);
  if (merges.length)
    await mergeStorylines(
      tx,
      merges.map((m) => m.from),
      survivors,
      now,
    );
  await refreshStorylines(
    tx,
    affected,
    affected.map((id) => lines.index.title(id) || null),
    now,
  );
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
  index: StoryAssigner,
  storyIds: readonly number[],
  now: number,
): Promise<void> {
  const rows = await readStoryStorylines(tx, storyIds);
  const stored = new Map(rows.map((r) => [r.storyId, r.storylineId]));
  const profiles = new Map<number, StoryProfile>(
    rows.flatMap((r) => (r.profile ? [[r.storyId, r.profile] as const] : [])),
  );
  const merged = await readStorylinesMergedInto(tx, [...new Set(stored.values())]);
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
