// Named queries of what the story writer read of each item it assigned (sql/014_assign_item_features.sql),
// so that a fresh process restores the active window's index from stored terms, names and mentions instead
// of reading every active item's text again (issue 12: that re-reading was a fresh worker's whole catch-up).
// They are read back by catch-up (SELECT_ASSIGNED_SINCE in story-catch-up.ts).
import type { StoredFeatures } from '../model.js';
import type { Tx } from './db/db.js';

// One statement per batch: the rows as one JSON document (cheaper to send than an array of JSON texts,
// each escaped again as an array element). An item assigned again (recluster clears the table first; a
// rolled-back batch never wrote) keeps the newer row.
export const UPSERT_ITEM_FEATURES = `
INSERT INTO item_features (item_id, published_at, features)
SELECT (e->>'id')::bigint, (e->>'at')::timestamptz, e->'f' FROM json_array_elements($1::json) e
ON CONFLICT (item_id) DO UPDATE SET published_at = excluded.published_at, features = excluded.features`;

/** What is stored of one assigned item. */
export interface ItemFeaturesRow {
  itemId: number;
  published: Date;
  features: StoredFeatures;
}

/** Stores the features of the given items in one statement. */
export async function writeItemFeatures(tx: Tx, rows: readonly ItemFeaturesRow[]): Promise<void> {
  if (rows.length === 0) return;
  const json = rows.map((r) => ({ id: r.itemId, at: r.published, f: r.features }));
  await tx.query(UPSERT_ITEM_FEATURES, [JSON.stringify(json)]);
}

// Rows of items published before the active window are never read again (item_features_published_idx).
export const DELETE_FEATURES_BEFORE = 'DELETE FROM item_features WHERE published_at < $1';

/** Drops the rows of items published before the active window. */
export async function deleteItemFeaturesBefore(tx: Tx, windowStart: Date): Promise<void> {
  await tx.query(DELETE_FEATURES_BEFORE, [windowStart]);
}
