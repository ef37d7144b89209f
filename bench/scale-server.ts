// bench:scale's service under test: `storyline start` as a child process, configured by its
// environment (RUN=server, DATABASE_URL or DATA_DIR), printing its URL once it listens.
import { loadConfig } from '../src/config.js';
import { createSilentLogger } from '../src/log.js';
import { startService } from '../src/main.js';

const service = await startService(loadConfig(), createSilentLogger(), { sources: [] });
console.log(`listening ${service.url}`);
const stop = (): void => void service.stop().then(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
