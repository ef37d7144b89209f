// `storyline migrate`, `fetch --once`, `recluster` and `cluster`: one-off work on the database (or a file).
import { createWorkerDeps } from '../worker/deps.js';
import { loadSources, readSourcesFile } from '../worker/feed-operations.js';
import { openDatabase, openStore } from '../store/open.js';
import { sourcesFile } from '../config.js';
import { migrate } from '../store/migrations.js';
import { regroupAll } from '../worker/stories/recluster.js';
import { type GroupLevel } from '../stories/item-lines.js';
import { groupFile } from './group-file.js';
import { runPass } from '../worker/worker.js';
import type { Command } from './command.js';
import { describeSkipped } from './skipped.js';

const migrateCommand: Command = {
  name: 'migrate',
  summary: 'apply pending database migrations',
  details:
    'Apply the pending database migrations (`storyline start` does this too); prints "Schema up to date" when there are none.',
  logsToStderr: true,
  run: async (ctx) => {
    // Opened without migrating, so that what this command applies is what it reports.
    const db = await openDatabase(ctx.config, ctx.logger);
    try {
      const applied = await migrate(db);
      ctx.out(applied.length ? `Applied ${applied.join(', ')}` : 'Schema up to date');
      return 0;
    } finally {
      await db.close();
    }
  },
};

const fetchCommand: Command = {
  name: 'fetch',
  summary: 'fetch every feed once, printing progress, then exit',
  details:
    'Fetch every feed once, printing [n/total] progress and, as the new items are grouped into stories (while later feeds are still fetched), "grouping n/total items", then exit (the worker in `storyline start` fetches on a schedule). Feeds another run holds, gone feeds and disabled ones are skipped, and the summary says so.',
  options: {
    once: { type: 'boolean', doc: 'one pass over every feed (required)', required: true },
    json: { type: 'boolean', doc: 'print the reports as JSON instead of progress lines' },
  },
  logsToStderr: true,
  check: ({ values }) => {
    if (!values.once)
      throw new Error('only --once is supported (the worker in `storyline start` fetches on a schedule)');
  },
  run: async (ctx, { values }) => {
    const sources = readSourcesFile(sourcesFile(ctx.config), ctx.config.opmlMaxFeeds);
    const db = await openStore(ctx.config, ctx.logger);
    try {
      await loadSources(db, sources, ctx.logger);
      const deps = createWorkerDeps(db, ctx.config, ctx.logger);
      const reports = await runPass(deps, {
        everyFeed: true,
        onProgress: (r, done, claimed) => {
          const detail = r.outcome === 'error' ? r.error : `${r.itemsNew} new, ${r.itemsUpdated} updated`;
          if (!values.json)
            ctx.out(`[${done}/${claimed}] ${r.outcome.padEnd(12)} ${r.url} ${detail} (${r.durationMs} ms)`);
        },
        // Printed as the fetch lines are: not in --json mode, whose output is the reports alone.
        onGroupingProgress: (assigned, total) => {
          if (!values.json)
            ctx.out(`grouping ${assigned.toLocaleString('en-US')}/${total.toLocaleString('en-US')} items`);
        },
      });
      const failed = reports.filter((r) => r.outcome === 'error').length;
      const items = reports.reduce((n, r) => n + r.itemsNew, 0);
      const skipped = await describeSkipped(
        db,
        reports.map((r) => r.feedId),
        deps.now(),
      );
      if (values.json) ctx.out(JSON.stringify(reports));
      else
        ctx.out(
          `Fetched ${reports.length} feeds: ${items} new items, ${failed} failed.${skipped ? ` ${skipped}` : ''}`,
        );
      if (values.json && skipped) ctx.logger.info({ skipped }, 'feeds skipped');
      return 0;
    } finally {
      await db.close();
    }
  },
};

const reclusterCommand: Command = {
  name: 'recluster',
  summary: 'rebuild every story from the stored items',
  details:
    'Rebuild every story from the stored items, printing progress. Storylines keep their ids where most of their items stay together; other ids resolve to where their items went.',
  logsToStderr: true,
  run: async (ctx) => {
    const db = await openStore(ctx.config, ctx.logger);
    try {
      let last = 0;
      const result = await regroupAll(db, {
        now: new Date(),
        onProgress: (done, total) => {
          if (done === total || Date.now() - last > 1000) {
            last = Date.now();
            ctx.out(`recluster: ${done}/${total} items`);
          }
        },
      });
      ctx.out(`Rebuilt stories: ${JSON.stringify(result)}`);
      return 0;
    } finally {
      await db.close();
    }
  },
};

const clusterCommand: Command = {
  name: 'cluster',
  summary: 'group a JSON-lines file of items into stories, or their storylines (no database)',
  options: {
    input: { type: 'string', value: 'items.jsonl', doc: 'the items, one JSON object a line', required: true },
    output: {
      type: 'string',
      value: 'assignments.jsonl',
      doc: 'where the story (or storyline) of each item is written',
      required: true,
    },
    level: {
      type: 'string',
      value: 'stories|storylines',
      doc: "what each output line names as the item's group (default stories)",
    },
  },
  logsToStderr: true,
  check: ({ values }) => {
    if (!values.input || !values.output) throw new Error('give --input items.jsonl and --output assignments.jsonl');
    if (values.level !== undefined && values.level !== 'stories' && values.level !== 'storylines')
      throw new Error(`--level must be stories or storylines, not ${String(values.level)}`);
  },
  run: async (ctx, { values }) => {
    const level = (values.level as GroupLevel | undefined) ?? 'stories';
    const result = await groupFile(values.input as string, values.output as string, { level });
    const storylines = result.storylines === undefined ? '' : `, linked into ${result.storylines} storylines`;
    ctx.out(`Grouped ${result.items} items into ${result.stories} stories${storylines} in ${result.ms} ms`);
    return 0;
  },
};

export const DATABASE_COMMANDS: Command[] = [fetchCommand, migrateCommand, clusterCommand, reclusterCommand];
