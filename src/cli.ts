// The `storyline` command.
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { describeSettings, loadConfig, type Config } from './config.js';
import { describeError } from './errors.js';
import { createLogger, type Logger } from './log.js';
import { createWorkerDeps, loadSources, openStore, readSourcesFile, sourcesFile, startService } from './main.js';
import { writeOpml } from './sources/opml.js';
import { listFeedReports, listSources, removeFeed } from './store/feeds.js';
import { migrate } from './store/migrations.js';
import { reclusterAll } from './store/stories.js';
import { runClusterFile } from './stories/cluster-file.js';
import { startDemoFeeds, DEMO_DATASET_PATH } from './demo/index.js';
import { addFeedFromUrl } from './worker/add-feed.js';
import { runPass } from './worker/worker.js';
import type { FeedReport } from './model.js';

const USAGE = `Usage: storyline <command>

  start                      run the worker and the server (RUN selects which)
  fetch --once [--json]      fetch every feed once, printing progress, then exit
  feeds list [--json]        every feed with its outlet, last fetch, status, error and item count
  feeds add <url> [--outlet NAME] [--section NAME]
                             add a feed (a web page URL is resolved by autodiscovery)
  feeds remove <id|url>      remove a feed and its items
  feeds import <file.opml>   add every feed of an OPML file
  feeds export [file.opml]   write every feed as OPML (stdout without a file)
  migrate                    apply pending database migrations
  demo                       serve a week of real news from a local server and run Storyline on it
  cluster --input F --output F
                             group a JSON-lines file of items into stories (no database)
  recluster                  rebuild every story from the stored items
  config                     print the configuration table (environment variables)

Configuration is read from environment variables: see \`storyline config\`.`;

type Out = (line: string) => void;

interface Context {
  config: Config;
  logger: Logger;
  out: Out;
}

function onSignals(stop: () => Promise<void>): void {
  let stopping = false;
  const handler = (signal: string) => {
    if (stopping) return;
    stopping = true;
    void stop().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(`stop failed after ${signal}: ${describeError(err)}`);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => handler('SIGTERM'));
  process.once('SIGINT', () => handler('SIGINT'));
}

async function commandStart(ctx: Context): Promise<number> {
  const service = await startService(ctx.config, ctx.logger);
  if (service.url) ctx.out(`Storyline is running at ${service.url}/ (feed: ${service.url}/feed.xml)`);
  onSignals(service.stop);
  await new Promise(() => undefined);
  return 0;
}

async function commandDemo(ctx: Context, args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { dataset: { type: 'string' } } });
  const demo = await startDemoFeeds({ datasetPath: values.dataset ?? DEMO_DATASET_PATH });
  const config: Config = {
    ...ctx.config,
    allowPrivateHosts: [...ctx.config.allowPrivateHosts, demo.hostPort],
    // The demo week is in May 2025: keep it, whatever the retention.
    retention: Number.MAX_SAFE_INTEGER,
  };
  ctx.out(`Demo feeds served from ${demo.origin} (${demo.sources.length} feeds)`);
  const service = await startService(config, ctx.logger, { sources: demo.sources });
  if (service.url) ctx.out(`Storyline is running at ${service.url}/ (feed: ${service.url}/feed.xml)`);
  onSignals(async () => {
    await service.stop();
    await demo.close();
  });
  await new Promise(() => undefined);
  return 0;
}

async function commandFetch(ctx: Context, args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { once: { type: 'boolean' }, json: { type: 'boolean' } } });
  if (!values.once) throw new Error('fetch: only --once is supported (the worker in `storyline start` fetches on a schedule)');
  const db = await openStore(ctx.config, ctx.logger);
  try {
    await loadSources(db, readSourcesFile(sourcesFile(ctx.config), ctx.config.opmlMaxFeeds), ctx.logger);
    const deps = createWorkerDeps(db, ctx.config, ctx.logger);
    const reports = await runPass(deps, {
      everyFeed: true,
      onProgress: (r, done, claimed) => {
        const detail = r.outcome === 'error' ? r.error : `${r.itemsNew} new, ${r.itemsUpdated} updated`;
        if (!values.json) ctx.out(`[${done}/${claimed}] ${r.outcome.padEnd(12)} ${r.url} ${detail} (${r.durationMs} ms)`);
      },
    });
    const failed = reports.filter((r) => r.outcome === 'error').length;
    const items = reports.reduce((n, r) => n + r.itemsNew, 0);
    if (values.json) ctx.out(JSON.stringify(reports));
    else ctx.out(`Fetched ${reports.length} feeds: ${items} new items, ${failed} failed.`);
    return 0;
  } finally {
    await db.close();
  }
}

function formatFeedRow(f: FeedReport): string {
  const last = f.lastFetchedAt ? f.lastFetchedAt.toISOString().slice(0, 16).replace('T', ' ') : 'never';
  const error = f.error ? `  ${f.error}` : '';
  return `${String(f.id).padStart(4)}  ${f.status.padEnd(8)} ${String(f.items).padStart(6)}  ${last.padEnd(16)}  ${f.outlet}${f.section ? ` / ${f.section}` : ''}  ${f.url}${error}`;
}

async function commandFeeds(ctx: Context, args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: { json: { type: 'boolean' }, outlet: { type: 'string' }, section: { type: 'string' } },
  });
  const db = await openStore(ctx.config, ctx.logger);
  try {
    switch (sub) {
      case 'list': {
        const feeds = await listFeedReports(db);
        if (values.json) ctx.out(JSON.stringify(feeds, null, 2));
        else {
          ctx.out('  id  status    items  last fetch (UTC)  outlet / section  url  error');
          for (const f of feeds) ctx.out(formatFeedRow(f));
        }
        return 0;
      }
      case 'add': {
        const url = positionals[0];
        if (!url) throw new Error('feeds add: give the feed or page URL');
        const { feed, created } = await addFeedFromUrl(db, { url, outlet: values.outlet ?? null, section: values.section ?? null }, createWorkerDeps(db, ctx.config, ctx.logger).fetchOptions);
        ctx.out(`${created ? 'Added' : 'Already present'}: ${feed.id} ${feed.outlet} ${feed.url}`);
        return 0;
      }
      case 'remove': {
        const target = positionals[0];
        if (!target) throw new Error('feeds remove: give the feed id or URL');
        const removed = await removeFeed(db, /^\d+$/.test(target) ? Number(target) : target);
        ctx.out(removed ? `Removed ${target}` : `No feed ${target}`);
        return removed ? 0 : 1;
      }
      case 'import': {
        const file = positionals[0];
        if (!file) throw new Error('feeds import: give the OPML file');
        const result = await loadSources(db, readSourcesFile(file, ctx.config.opmlMaxFeeds), ctx.logger);
        ctx.out(`Imported ${file}: ${result.added} added, ${result.existing} already present`);
        return 0;
      }
      case 'export': {
        const xml = writeOpml(await listSources(db), { title: 'Storyline sources', now: new Date() });
        if (positionals[0]) fs.writeFileSync(positionals[0], xml);
        else ctx.out(xml);
        return 0;
      }
      default:
        throw new Error(`feeds: unknown subcommand "${sub ?? ''}" (list, add, remove, import, export)`);
    }
  } finally {
    await db.close();
  }
}

async function commandMigrate(ctx: Context): Promise<number> {
  const db = await openStore(ctx.config, ctx.logger);
  const applied = await migrate(db);
  await db.close();
  ctx.out(applied.length ? `Applied ${applied.join(', ')}` : 'Schema up to date');
  return 0;
}

async function commandCluster(ctx: Context, args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { input: { type: 'string' }, output: { type: 'string' } } });
  if (!values.input || !values.output) throw new Error('cluster: give --input items.jsonl and --output assignments.jsonl');
  const result = await runClusterFile(values.input, values.output);
  ctx.out(`Grouped ${result.items} items into ${result.stories} stories in ${result.ms} ms`);
  return 0;
}

async function commandRecluster(ctx: Context): Promise<number> {
  const db = await openStore(ctx.config, ctx.logger);
  try {
    let last = 0;
    const result = await reclusterAll(db, {
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
}

/** Runs the command line; returns the exit code. */
export async function main(argv: string[], out: Out = (line) => process.stdout.write(`${line}\n`)): Promise<number> {
  const [command, ...args] = argv;
  if (!command || command === '--help' || command === 'help') {
    out(USAGE);
    return command ? 0 : 1;
  }
  if (command === 'config') {
    out(describeSettings());
    return 0;
  }
  const config = loadConfig();
  // Logs go to stderr for commands whose stdout is data; the service logs to stdout.
  const logger = createLogger(config.logLevel, command === 'start' || command === 'demo' ? process.stdout : process.stderr);
  const ctx: Context = { config, logger, out };
  switch (command) {
    case 'start':
      return commandStart(ctx);
    case 'demo':
      return commandDemo(ctx, args);
    case 'fetch':
      return commandFetch(ctx, args);
    case 'feeds':
      return commandFeeds(ctx, args);
    case 'migrate':
      return commandMigrate(ctx);
    case 'cluster':
      return commandCluster(ctx, args);
    case 'recluster':
      return commandRecluster(ctx);
    default:
      out(USAGE);
      throw new Error(`unknown command "${command}"`);
  }
}
