// Items stored as the worker stores a fetched document (storeDocument), with a plain 200 fetch record.
import type { Item } from '../../src/model.js';
import type { Queryable } from '../../src/store/db/db.js';
import { storeDocument, type DocumentFetch, type UpsertResult } from '../../src/store/documents.js';

export function plainFetch(at: Date): DocumentFetch {
  return {
    etag: null,
    lastModified: null,
    bodyHash: null,
    hints: null,
    nextFetchAt: at,
    fetchedAt: at,
    status: 200,
    title: null,
    startedAt: at,
    bytes: null,
    worker: 'test',
  };
}

export function storeItems(
  q: Queryable,
  feedId: number,
  items: readonly Item[],
  at = new Date(),
): Promise<UpsertResult> {
  return storeDocument(q, feedId, items, plainFetch(at));
}

/** A headline-only item as a feed gives it (link at news.example, content hash its key), with any field overridden. */
export function headlineItem(key: string, title: string, publishedAt: Date, over: Partial<Item> = {}): Item {
  return {
    key,
    url: `https://news.example/${key}`,
    canonicalUrl: `https://news.example/${key}`,
    title,
    summary: '',
    contentHtml: '',
    author: null,
    outletName: null,
    publishedAt,
    dateEstimated: false,
    updatedAt: null,
    categories: [],
    imageUrl: null,
    contentHash: key,
    ...over,
  };
}
