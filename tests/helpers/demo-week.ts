// The demo week (its fixture feeds over HTTP) through one pass of the real worker into a database, as
// the end-to-end tests of what the server shows of it start.
import { loadConfig } from '../../src/config.js';
import { DEMO_DATASET_PATH, startDemoFeeds } from '../../src/demo/server.js';
import { createSilentLogger } from '../../src/log.js';
import { createWorkerDeps } from '../../src/worker/deps.js';
import { loadSources } from '../../src/worker/feed-operations.js';
import type { Db } from '../../src/store/db/db.js';
import { runPass } from '../../src/worker/worker.js';

/** Serves the week's feeds on 127.0.0.1, fetches every one once into `db` (stories, topics, storylines), and stops serving. */
export async function loadDemoWeek(db: Db): Promise<void> {
  const demo = await startDemoFeeds({ datasetPath: DEMO_DATASET_PATH });
  try {
    const logger = createSilentLogger();
    await loadSources(db, demo.sources, logger);
    await runPass(
      createWorkerDeps(db, loadConfig({ ALLOW_PRIVATE_HOSTS: demo.hostPort, FETCH_PER_HOST: '8' }), logger),
      { everyFeed: true },
    );
  } finally {
    await demo.close();
  }
}
