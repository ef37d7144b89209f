// An item's identity within its feed (stable across fetches of the same entry) and the hash of its
// normalised fields (an unchanged entry costs no write).
import { createHash } from 'node:crypto';
import type { Item } from '../model.js';
import { removeControlCharacters } from './text.js';

/** Longer guids are stored as their hash (some feeds put whole documents there). */
export const MAX_GUID_LENGTH = 500;

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export interface IdentityInput {
  guid: string | null;
  /** The canonical link (with its fragment, if any). */
  canonicalUrl: string | null;
  /** Title and date exactly as the feed wrote them. */
  title: string | null;
  published: string | null;
}

/** guid (trimmed; hashed when over MAX_GUID_LENGTH), else the canonical link, else a hash of title and raw date. */
export function itemKey(input: IdentityInput): string {
  const guid = input.guid === null ? '' : removeControlCharacters(input.guid).trim();
  if (guid !== '') return guid.length > MAX_GUID_LENGTH ? `sha256:${sha256(guid)}` : guid;
  if (input.canonicalUrl !== null) return input.canonicalUrl;
  return `sha256:${sha256(`${input.title ?? ''}\n${input.published ?? ''}`)}`;
}

/**
 * Hash of the stored fields. An estimated publishedAt is "now" and changes on every fetch, so it is
 * left out; everything else that is written counts.
 */
export function contentHash(item: Omit<Item, 'contentHash' | 'key'>): string {
  return sha256(
    JSON.stringify([
      item.title,
      item.summary,
      item.contentHtml,
      item.url,
      item.canonicalUrl,
      item.author,
      item.outletName,
      item.dateEstimated ? null : item.publishedAt.toISOString(),
      item.updatedAt?.toISOString() ?? null,
      item.categories,
      item.imageUrl,
    ]),
  );
}
