// bench:scale's service under test: `storyline start` as a child process, configured by its
// environment (RUN=server, DATABASE_URL or DATA_DIR), printing its URL once it listens and, on
// SIGTERM, how long its event loop was held (to tell a blocked loop from a starved machine).
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { loadConfig } from '../src/config.js';
import { createSilentLogger } from '../src/log.js';
import { startService } from '../src/service.js';

const service = await startService(loadConfig(), createSilentLogger(), { sources: [] });
console.log(`listening ${service.url}`);
const delay = monitorEventLoopDelay({ resolution: 5 });
delay.enable();
process.on('SIGUSR2', () => delay.reset());
const stop = (): void => {
  delay.disable();
  console.log(`loop ${JSON.stringify({ p99: delay.percentile(99) / 1e6, max: delay.max / 1e6 })}`);
  void service.stop().then(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
