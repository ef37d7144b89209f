// A large fetched document is read (parsed and normalised) in a worker thread to exactly what the
// worker's own thread would read, and a document that is not a feed fails the same way.
import { describe, expect, it } from 'vitest';
import { ParseError } from '../../src/errors.js';
import { createDocumentReader, readDocument } from '../../src/worker/document.js';
import { rss } from '../helpers/feeds.js';

const context = { feedUrl: 'https://news.example/feed.xml', now: new Date('2025-05-09T12:00:00Z'), maxItems: 500 };

describe('reading a document in a worker thread', () => {
  const read = createDocumentReader();

  it('gives the same title, hints and items as reading it here', async () => {
    const entries = Array.from({ length: 400 }, (_, i) => ({
      guid: `g${i}`,
      title: `Headline ${i} ${'word '.repeat(200)}`,
      pubDate: new Date(Date.UTC(2025, 4, 8, 0, i)).toUTCString(),
    }));
    const body = rss('Large feed', entries, '<ttl>45</ttl>');
    expect(body.length).toBeGreaterThan(512 * 1024);
    const here = await readDocument(body, context);
    expect(here.items).toHaveLength(400);
    expect(await read(body, context)).toEqual(here);
  });

  it('fails a document that is not a feed with the ParseError read here gives', async () => {
    const here = await readDocument('<html><body>not a feed</body></html>', context).catch((e: unknown) => e);
    const there = await read('<html><body>not a feed</body></html>', context).catch((e: unknown) => e);
    expect(here).toBeInstanceOf(ParseError);
    expect(there).toBeInstanceOf(ParseError);
    expect((there as Error).message).toBe((here as Error).message);
  });
});
