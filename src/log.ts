// One JSON line per event: a fixed message plus snake_case fields (feed_id, feed_url, reason…).
import { pino, type Logger } from 'pino';
import { hideCredentials } from './redact.js';

export type { Logger };

export function createLogger(level: string, destination: NodeJS.WritableStream = process.stdout): Logger {
  return pino(
    {
      level,
      base: { service: 'storyline' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      // Fields that hold a feed's URL or an error naming it never print the URL's credentials.
      redact: { paths: ['feed_url', 'new_url', 'discovered_url', 'url', 'reason', 'error'], censor: (value: unknown) => (typeof value === 'string' ? hideCredentials(value) : value) },
    },
    destination,
  );
}

/** A logger that drops everything, for tests and the standalone cluster command. */
export function createSilentLogger(): Logger {
  return pino({ level: 'silent' });
}
