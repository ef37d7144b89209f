// `storyline start` and `storyline demo`: the long-running service, on the configured database or
// (the demo) on a database of its own.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Config } from '../config.js';
import { describeError } from '../errors.js';
import { startService, type RunningService } from '../service.js';
import type { FeedSource } from '../model.js';
import type { Db } from '../store/db/db.js';
import { listSources, findFeedByUrl, moveFeed } from '../store/feeds.js';
import type { Command, Context } from './command.js';

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

function announce(ctx: Context, service: RunningService): void {
  if (service.url) ctx.out(`Storyline is running at ${service.url}/ (feed: ${service.url}/feed.xml)`);
}

const start: Command = {
  name: 'start',
  summary: 'run the worker and the server (RUN selects which)',
  details:
    'Run the worker and the HTTP server in this process (RUN=worker or RUN=server for one of them). Applies pending migrations first; stops cleanly on SIGTERM or SIGINT.',
  run: async (ctx) => {
    const service = await startService(ctx.config, ctx.logger);
    announce(ctx, service);
    onSignals(service.stop);
    await new Promise(() => undefined);
    return 0;
  },
};

const DEMO_FEED = /^http:\/\/127\.0\.0\.1:\d+(\/feeds\/[\w-]+\.xml)$/;

/**
 * The demo's local server gets a new port each run, so a kept demo folder holds the previous run's
 * feed URLs: those are moved to this run's, so a second run finds its feeds (and their items,
 * validators and stories) instead of adding the same week again under new addresses.
 */
async function adoptEarlierDemoFeeds(db: Db, sources: FeedSource[]): Promise<void> {
  const current = new Map(sources.map((s) => [DEMO_FEED.exec(s.url)?.[1], s.url]));
  for (const { url } of await listSources(db)) {
    const next = current.get(DEMO_FEED.exec(url)?.[1]);
    if (!next || next === url) continue;
    const feed = await findFeedByUrl(db, url);
    if (feed) await moveFeed(db, feed.id, next);
  }
}

const demo: Command = {
  name: 'demo',
  summary: 'serve a week of real news from a local server and run Storyline on it',
  details: [
    'Serve the demo week (5–9 May 2025, ~30 outlets, real headlines) from a local feed server and run the whole service on it.',
    'Its data lives in a fresh temporary folder, removed on exit: never in DATA_DIR or DATABASE_URL, whatever they say.',
    '--data-dir keeps it in a folder of your choice instead; running the demo again on that folder changes nothing.',
  ].join('\n'),
  options: {
    dataset: { type: 'string', value: 'items.jsonl', doc: 'another dataset in the demo week format' },
    'data-dir': { type: 'string', value: 'DIR', doc: "keep the demo's embedded database in DIR" },
  },
  run: async (ctx, { values }) => {
    const kept = values['data-dir'] as string | undefined;
    const dataDir = kept ?? fs.mkdtempSync(path.join(os.tmpdir(), 'storyline-demo-'));
    const removeData = async () => void (kept ? undefined : fs.rmSync(dataDir, { recursive: true, force: true }));
    ctx.out(`Demo data in ${dataDir}${kept ? '' : ' (a temporary folder, removed on exit; --data-dir keeps it)'}`);
    let close: () => Promise<void> = removeData;
    try {
      // Loaded by the demo alone: no other command holds its feed server.
      const { startDemoFeeds, DEMO_DATASET_PATH } = await import('../demo/index.js');
      const feeds = await startDemoFeeds({ datasetPath: (values.dataset as string | undefined) ?? DEMO_DATASET_PATH });
      close = async () => {
        await feeds.close();
        await removeData();
      };
      const config: Config = {
        ...ctx.config,
        databaseUrl: null,
        dataDir,
        sourcesFile: null,
        allowPrivateHosts: [...ctx.config.allowPrivateHosts, feeds.hostPort],
        // The demo week is in May 2025: keep it, whatever the retention.
        retention: Number.MAX_SAFE_INTEGER,
      };
      ctx.out(`Demo feeds served from ${feeds.origin} (${feeds.sources.length} feeds)`);
      const service = await startService(config, ctx.logger, {
        sources: feeds.sources,
        prepare: (db) => adoptEarlierDemoFeeds(db, feeds.sources),
      });
      announce(ctx, service);
      onSignals(async () => {
        await service.stop();
        await close();
      });
    } catch (err) {
      await close();
      throw err;
    }
    await new Promise(() => undefined);
    return 0;
  },
};

export const SERVICE_COMMANDS: Command[] = [start, demo];
