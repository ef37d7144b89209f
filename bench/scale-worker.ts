// bench:scale's worker measurements, each in a fresh process as a worker starts: `assign` (catch-up
// of a fresh worker, a pass with nothing new, then 10,000 new items grouped) and `recluster`. One
// JSON line per result on stdout; resident memory is this process's own. `prune` removes the oldest
// day of items.
import { loadConfig } from '../src/config.js';
import { openDb } from '../src/store/db/connection.js';
import { assignPendingStories } from '../src/worker/stories/assign.js';
import { catchUpStories } from '../src/worker/stories/catch-up.js';
import { pruneOld } from '../src/worker/stories/prune.js';
import { regroupAll } from '../src/worker/stories/recluster.js';
import { startMemorySampler } from './lib.js';
import { seedPendingItems } from './scale-seed.js';

const mode = process.argv[2];
const config = loadConfig();
const db = await openDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
const rssMb = (): number => process.memoryUsage().rss / 2 ** 20;
const out = (record: Record<string, unknown>): void => console.log(JSON.stringify(record));
const timed = async <T>(fn: () => Promise<T>): Promise<[T, number]> => {
  const start = performance.now();
  const value = await fn();
  return [value, performance.now() - start];
};

if (mode === 'assign') {
  const now = new Date();
  const memory = startMemorySampler();
  // A fresh worker's catch-up (an idle pass would skip it: nothing is pending), then an idle pass.
  const [, catchUpMs] = await timed(() => catchUpStories(db));
  out({ catchUpMs, catchUpRssMb: rssMb() });
  const [, idleMs] = await timed(() => assignPendingStories(db, { now }));
  out({ idleMs });
  const count = Number(process.argv[3] ?? 10_000);
  await seedPendingItems(db, count, now, String(now.getTime()));
  const [result, assignMs] = await timed(() => assignPendingStories(db, { now }));
  out({ assigned: result.assigned, assignMs, peakRssMb: memory.peakMb() });
  memory.stop();
} else if (mode === 'recluster') {
  const started = performance.now();
  let last = 0;
  const result = await regroupAll(db, {
    now: new Date(),
    onProgress: (done, total) => {
      if (done - last < 5000 && done < total) return;
      last = done;
      out({ done, total, ms: performance.now() - started, rssMb: rssMb() });
    },
  });
  out({ finished: true, items: result.items, ms: performance.now() - started, rssMb: rssMb() });
} else if (mode === 'prune') {
  // The oldest day, as retention removes once the window has moved by a day.
  const oldest = (await db.query<{ at: Date }>('SELECT min(published_at) AS at FROM items')).rows[0]!.at;
  const [result, ms] = await timed(() => pruneOld(db, { olderThan: new Date(oldest.getTime() + 86_400_000) }));
  out({ pruned: result.items, ms });
} else {
  throw new Error(`scale-worker: unknown mode ${mode ?? ''} (assign, prune, recluster)`);
}
await db.close();
