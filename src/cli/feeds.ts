// `storyline feeds …`: list, add, remove, import and export the feeds.
import fs from 'node:fs';
import { fetchOptionsFromConfig } from '../fetch/index.js';
import type { FeedReport } from '../model.js';
import { parseFeedUrl } from '../sources/feed-url.js';
import type { Db } from '../store/db/db.js';
import { listFeedReports } from '../store/feeds.js';
import { openStore } from '../store/open.js';
import { addFeedFromUrl, exportOpml, loadSources, readSourcesFile, removeFeed } from '../worker/feed-operations.js';
import type { Command, Context } from './command.js';

async function withStore<T>(ctx: Context, work: (db: Db) => Promise<T>): Promise<T> {
  const db = await openStore(ctx.config, ctx.logger);
  try {
    return await work(db);
  } finally {
    await db.close();
  }
}

function formatFeedRow(f: FeedReport): string {
  const last = f.lastFetchedAt ? f.lastFetchedAt.toISOString().slice(0, 16).replace('T', ' ') : 'never';
  const error = f.error ? `  ${f.error}` : '';
  return `${String(f.id).padStart(4)}  ${f.status.padEnd(8)} ${String(f.items).padStart(6)}  ${last.padEnd(16)}  ${f.outlet}${f.section ? ` / ${f.section}` : ''}  ${f.url}${error}`;
}

const list: Command = {
  name: 'feeds list',
  summary: 'every feed with its outlet, last fetch, status, error and item count',
  options: { json: { type: 'boolean', doc: 'one JSON object per feed (what GET /api/feeds answers)' } },
  logsToStderr: true,
  run: (ctx, { values }) =>
    withStore(ctx, async (db) => {
      const feeds = await listFeedReports(db);
      if (values.json) ctx.out(JSON.stringify(feeds, null, 2));
      else {
        ctx.out('  id  status    items  last fetch (UTC)  outlet / section  url  error');
        for (const f of feeds) ctx.out(formatFeedRow(f));
      }
      return 0;
    }),
};

const add: Command = {
  name: 'feeds add',
  args: '<url>',
  summary: 'add a feed (a web page URL is resolved by autodiscovery)',
  details:
    'Add a feed. A web page URL is resolved to the feed it advertises (<link rel="alternate">); the outlet defaults to the feed\'s title.',
  options: {
    outlet: { type: 'string', value: 'NAME', doc: "the outlet's name" },
    section: { type: 'string', value: 'NAME', doc: 'the section (World, Politics…)' },
  },
  positionals: { min: 1, max: 1 },
  logsToStderr: true,
  // Refused before any database is opened or any request made.
  check: ({ positionals }) => void parseFeedUrl(positionals[0]!),
  run: (ctx, { values, positionals }) =>
    withStore(ctx, async (db) => {
      const input = {
        url: positionals[0]!,
        outlet: (values.outlet as string | undefined) ?? null,
        section: (values.section as string | undefined) ?? null,
      };
      const { feed, created } = await addFeedFromUrl(db, input, fetchOptionsFromConfig(ctx.config));
      ctx.out(`${created ? 'Added' : 'Already present'}: ${feed.id} ${feed.outlet} ${feed.url}`);
      return 0;
    }),
};

const remove: Command = {
  name: 'feeds remove',
  args: '<id|url>',
  summary: 'remove a feed and its items',
  positionals: { min: 1, max: 1 },
  logsToStderr: true,
  run: (ctx, { positionals }) =>
    withStore(ctx, async (db) => {
      const target = positionals[0]!;
      const removed = await removeFeed(db, /^\d+$/.test(target) ? Number(target) : target);
      ctx.out(removed ? `Removed ${target}` : `No feed ${target}`);
      return removed ? 0 : 1;
    }),
};

const importCommand: Command = {
  name: 'feeds import',
  args: '<file.opml>',
  summary: 'add every feed of an OPML file',
  details:
    'Add every feed of an OPML file (Miniflux, FreshRSS, NetNewsWire and Feedly exports import); feeds already present are kept as they are.',
  positionals: { min: 1, max: 1 },
  logsToStderr: true,
  run: async (ctx, { positionals }) => {
    const file = positionals[0]!;
    // Read and checked before the database is opened: a bad file costs nothing.
    const sources = readSourcesFile(file, ctx.config.opmlMaxFeeds);
    return withStore(ctx, async (db) => {
      const result = await loadSources(db, sources, ctx.logger);
      ctx.out(`Imported ${file}: ${result.added} added, ${result.existing} already present`);
      return 0;
    });
  },
};

const exportCommand: Command = {
  name: 'feeds export',
  args: '[file.opml]',
  summary: 'write every feed as OPML (stdout without a file)',
  positionals: { min: 0, max: 1 },
  logsToStderr: true,
  run: (ctx, { positionals }) =>
    withStore(ctx, async (db) => {
      const xml = await exportOpml(db, new Date());
      if (positionals[0]) fs.writeFileSync(positionals[0], xml);
      else ctx.out(xml);
      return 0;
    }),
};

export const FEEDS_COMMANDS: Command[] = [list, add, remove, importCommand, exportCommand];
