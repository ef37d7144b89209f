// The outside programs the feed tests check against: Debian's python3-feedparser (the reference
// parser) and newsboat (a real feed reader). Each says why it is unavailable instead of failing.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const PYTHON = '/usr/bin/python3';

async function unavailable(check: () => Promise<unknown>, reason: string): Promise<string | null> {
  try {
    await check();
    return null;
  } catch {
    return reason;
  }
}

/** Null when feedparser can be used, else why not. */
export const feedparserMissing = (): Promise<string | null> =>
  unavailable(
    () => run(PYTHON, ['-c', 'import feedparser']),
    'python3-feedparser is not installed (apt-get install python3-feedparser; .ci/run does)',
  );

export const newsboatMissing = (): Promise<string | null> =>
  unavailable(() => run('newsboat', ['-v']), 'newsboat is not installed (apt-get install newsboat; .ci/run does)');

export interface ParsedEntry {
  id: string | null;
  title: string | null;
  title_type: string | null;
  link: string | null;
  updated: string | null;
  published: string | null;
  tags: string[];
  author: string | null;
  summary: string | null;
  content: string | null;
}

export interface Parsed {
  bozo: boolean;
  bozo_exception: string | null;
  version: string;
  feed: { title: string | null; links: Array<{ rel: string; href: string; type: string | null }> };
  entries: ParsedEntry[];
}

const FEEDPARSER_SCRIPT = `
import feedparser, json, sys
d = feedparser.parse(open(sys.argv[1], 'rb').read(), response_headers={'content-type': sys.argv[2]})
def entry(e):
    content = e.get('content') or [{}]
    return {'id': e.get('id'), 'title': e.get('title'), 'title_type': (e.get('title_detail') or {}).get('type'),
            'link': e.get('link'), 'updated': e.get('updated'), 'published': e.get('published'),
            'tags': [t.get('label') or t.get('term') for t in e.get('tags', [])], 'author': e.get('author'),
            'summary': e.get('summary'), 'content': content[0].get('value')}
print(json.dumps({'bozo': bool(d.bozo), 'bozo_exception': str(d.get('bozo_exception')) if d.bozo else None,
                  'version': d.version, 'feed': {'title': d.feed.get('title'),
                  'links': [{'rel': l.get('rel'), 'href': l.get('href'), 'type': l.get('type')} for l in d.feed.get('links', [])]},
                  'entries': [entry(e) for e in d.entries]}))
`;

/** Parses a feed body with feedparser, as served (its content type included). */
export async function parseWithFeedparser(body: string, contentType: string): Promise<Parsed> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'storyline-fp-'));
  try {
    const file = path.join(dir, 'feed');
    fs.writeFileSync(file, body);
    const { stdout } = await run(PYTHON, ['-c', FEEDPARSER_SCRIPT, file, contentType], { maxBuffer: 64 * 1024 * 1024 });
    return JSON.parse(stdout) as Parsed;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export interface ReaderEntry {
  guid: string;
  title: string;
  url: string;
  author: string;
}

const READ_CACHE = `
import json, sqlite3, sys
c = sqlite3.connect(sys.argv[1])
print(json.dumps([{'guid': g, 'title': t, 'url': u, 'author': a} for g, t, u, a in c.execute('SELECT guid, title, url, author FROM rss_item ORDER BY pubDate DESC, guid')]))
`;

/** Subscribes newsboat to one URL with a fresh config and cache, reloads, and reads what it stored. */
export async function readWithNewsboat(url: string): Promise<ReaderEntry[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'storyline-nb-'));
  try {
    fs.writeFileSync(path.join(dir, 'urls'), `${url}\n`);
    fs.writeFileSync(path.join(dir, 'config'), '');
    const cache = path.join(dir, 'cache.db');
    // Asynchronous on purpose: the app under test answers from this same process.
    await run('newsboat', ['-u', path.join(dir, 'urls'), '-c', cache, '-C', path.join(dir, 'config'), '-x', 'reload'], {
      env: { ...process.env, HOME: dir },
      timeout: 60_000,
    });
    const { stdout } = await run(PYTHON, ['-c', READ_CACHE, cache]);
    return JSON.parse(stdout) as ReaderEntry[];
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
