import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Parser from 'rss-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_DATASET_PATH, startDemoFeeds, type DemoFeeds } from '../../src/demo/server.js';
import { readOpml } from '../../src/sources/opml.js';

interface Row {
  id: string;
  title: string;
  summary: string;
  url: string;
  outlet: string;
  feed_url: string;
  published: string;
}

const hasDataset = fs.existsSync(DEMO_DATASET_PATH);
if (!hasDataset)
  console.log(`skip: the demo dataset ${DEMO_DATASET_PATH} is missing (shared/ must sit beside the repository)`);

const parser = new Parser<Record<string, never>, { source?: string }>({ customFields: { item: ['source'] } });

describe.skipIf(!hasDataset)('startDemoFeeds on the demo week', () => {
  let demo: DemoFeeds;
  const rows: Row[] = hasDataset
    ? fs
        .readFileSync(DEMO_DATASET_PATH, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Row)
    : [];
  const byId = new Map(rows.map((r) => [r.id, r]));

  beforeAll(async () => {
    demo = await startDemoFeeds({ datasetPath: DEMO_DATASET_PATH });
  });
  afterAll(() => demo?.close());

  it('serves one valid RSS feed per dataset feed, with every item once and as the dataset has it', async () => {
    expect(demo.sources).toHaveLength(new Set(rows.map((r) => r.feed_url)).size);
    expect(demo.hostPort).toBe(new URL(demo.origin).host);
    const seen: string[] = [];
    for (const source of demo.sources) {
      expect(source.url.startsWith(`${demo.origin}/feeds/`)).toBe(true);
      const res = await fetch(source.url);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/rss+xml; charset=utf-8');
      const feed = await parser.parseString(await res.text());
      expect(feed.items.length).toBeGreaterThan(0);
      for (const item of feed.items) {
        const row = byId.get(item.guid ?? '')!;
        expect(row).toBeDefined();
        expect([item.title, item.link, item.content, item.isoDate]).toEqual([
          row.title,
          row.url,
          row.summary,
          new Date(row.published).toISOString(),
        ]);
        seen.push(row.id);
      }
    }
    expect(seen).toHaveLength(2040);
    expect(new Set(seen).size).toBe(rows.length);
  });

  it('credits each outlet by name, and Google News items to their publisher through <source>', async () => {
    for (const source of demo.sources) {
      const feed = await parser.parseString(await (await fetch(source.url)).text());
      const outlets = new Set(feed.items.map((i) => byId.get(i.guid!)!.outlet));
      if (source.outlet === 'Google News') {
        expect(outlets.size).toBeGreaterThan(1);
        for (const item of feed.items) expect(item.source).toBe(byId.get(item.guid!)!.outlet);
      } else {
        expect([...outlets]).toEqual([source.outlet]);
        expect(feed.items.every((i) => i.source === undefined)).toBe(true);
      }
    }
    expect(demo.sources.filter((s) => s.outlet === 'Google News')).toHaveLength(1);
    expect(demo.sources.find((s) => s.outlet === 'The Guardian')).toMatchObject({
      site: 'https://www.theguardian.com/',
      section: null,
    });
  });

  it('answers conditional GETs with 304 and changed validators with 200', async () => {
    const url = demo.sources[0]!.url;
    const first = await fetch(url);
    const etag = first.headers.get('etag')!;
    const lastModified = first.headers.get('last-modified')!;
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect(new Date(lastModified).toUTCString()).toBe(lastModified);
    const byEtag = await fetch(url, { headers: { 'if-none-match': `"other", W/${etag}` } });
    expect([byEtag.status, await byEtag.text(), byEtag.headers.get('etag')]).toEqual([304, '', etag]);
    expect((await fetch(url, { headers: { 'if-modified-since': lastModified } })).status).toBe(304);
    expect((await fetch(url, { headers: { 'if-none-match': '"stale"' } })).status).toBe(200);
    const earlier = new Date(Date.parse(lastModified) - 1000).toUTCString();
    expect((await fetch(url, { headers: { 'if-modified-since': earlier } })).status).toBe(200);
    // If-None-Match decides when both are sent (RFC 9110 §13.2.2).
    expect(
      (await fetch(url, { headers: { 'if-none-match': '"stale"', 'if-modified-since': lastModified } })).status,
    ).toBe(200);
  });

  it('lists the demo feeds as OPML, and answers 404 and 405 elsewhere', async () => {
    const opml = await fetch(`${demo.origin}/sources.opml`);
    expect(readOpml(await opml.text())).toEqual(demo.sources);
    expect((await fetch(`${demo.origin}/feeds/nope.xml`)).status).toBe(404);
    expect((await fetch(demo.sources[0]!.url, { method: 'POST' })).status).toBe(405);
    const head = await fetch(demo.sources[0]!.url, { method: 'HEAD' });
    expect([head.status, Number(head.headers.get('content-length')) > 0]).toEqual([200, true]);
  });
});

describe('startDemoFeeds on a small dataset', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'storyline-demo-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, lines: unknown[]) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n');
    return file;
  };

  it('escapes what XML needs escaped and drops what XML cannot carry', async () => {
    const awkward = {
      id: 'x1',
      title: 'Q&A: <b>tariffs</b> ]]> "quoted" \u0001end',
      summary: 'a ]]> b ]]> c & d',
      url: 'https://a.example/story?id=1&lang=en',
      outlet: 'A & B',
      feed_url: 'https://a.example/rss?x=1&y=2',
      published: '2025-05-06T10:00:00Z',
    };
    const other = { ...awkward, id: 'x2', outlet: 'C <News>', published: '2025-05-07T10:00:00Z' };
    const demo = await startDemoFeeds({ datasetPath: write('awkward.jsonl', [awkward, other]) });
    try {
      expect(demo.sources).toHaveLength(1);
      expect(demo.sources[0]!.outlet).toBe('a.example'); // two publishers in one feed: an aggregator
      const xml = await (await fetch(demo.sources[0]!.url)).text();
      const feed = await parser.parseString(xml);
      expect(feed.items.map((i) => [i.guid, i.title, i.content, i.link, i.source])).toEqual([
        ['x2', 'Q&A: <b>tariffs</b> ]]> "quoted" end', 'a ]]> b ]]> c & d', awkward.url, 'C <News>'],
        ['x1', 'Q&A: <b>tariffs</b> ]]> "quoted" end', 'a ]]> b ]]> c & d', awkward.url, 'A & B'],
      ]);
      expect(xml).toContain('<source url="https://a.example/rss?x=1&amp;y=2">');
    } finally {
      await demo.close();
    }
  });

  it('names the file and line of a malformed dataset entry', async () => {
    const file = write('bad.jsonl', [
      {
        id: 'ok',
        title: 't',
        summary: '',
        url: 'https://a.example/',
        outlet: 'A',
        feed_url: 'https://a.example/rss',
        published: '2025-05-06T10:00:00Z',
      },
      { id: 'bad', title: 't' },
    ]);
    await expect(startDemoFeeds({ datasetPath: file })).rejects.toThrow(`demo: ${file} line 2:`);
    await expect(startDemoFeeds({ datasetPath: path.join(dir, 'missing.jsonl') })).rejects.toThrow(
      /^demo: cannot read the dataset/,
    );
  });
});
