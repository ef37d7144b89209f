// Named queries of the storyline linker's story profiles as the story writer stores them
// (sql/016_story_profiles.sql): written for the stories each batch linked, read back by a fresh process
// (SELECT_STORY_STORYLINES in storylines.ts) instead of computing every active story's profile again
// (issue 12: that was a fifth of a fresh worker's catch-up).
import type { StoryProfile } from '../model.js';
import type { Tx } from './db/db.js';

// One statement per batch, the rows as one JSON document (as item_features); a relinked story keeps its newest profile.
export const UPSERT_STORY_PROFILES = `
INSERT INTO story_profiles (story_id, last_seen_at, profile)
SELECT (e->>'id')::bigint, to_timestamp((e->>'at')::float8 / 1000), e->'p' FROM json_array_elements($1::json) e
ON CONFLICT (story_id) DO UPDATE SET last_seen_at = excluded.last_seen_at, profile = excluded.profile`;

// Profiles of stories quiet since before the active window are never read again (story_profiles_last_seen_idx).
export const DELETE_PROFILES_BEFORE = 'DELETE FROM story_profiles WHERE last_seen_at < $1';

/** A profile as JSON keeps it: its map and set as arrays. */
interface StoredProfile extends Omit<StoryProfile, 'topicNames' | 'places'> {
  topicNames: Array<[string, string]>;
  places: string[];
}

/** The profile a stored row gives back (see writeStoryProfiles). */
export function profileFromStored(json: unknown): StoryProfile {
  const p = json as StoredProfile;
  return { ...p, topicNames: new Map(p.topicNames), places: new Set(p.places) };
}

function storedOf(p: StoryProfile): StoredProfile {
  return { ...p, topicNames: [...p.topicNames], places: [...p.places] };
}

/** Stores the given profiles (the stories a batch linked), and drops the rows before `windowStart` when given. */
export async function writeStoryProfiles(tx: Tx, profiles: readonly StoryProfile[], windowStart?: Date): Promise<void> {
  if (profiles.length)
    await tx.query(UPSERT_STORY_PROFILES, [
      JSON.stringify(profiles.map((p) => ({ id: p.storyKey, at: p.lastSeen, p: storedOf(p) }))),
    ]);
  if (windowStart) await tx.query(DELETE_PROFILES_BEFORE, [windowStart]);
}
