// One JSON line per event: a fixed message plus snake_case fields (feed_id, feed_url, reason…).
import { pino, type Logger } from 'pino';
import { hideCredentials } from './redact.js';

export type { Logger };

// Bidi embedding/override/isolate controls (as normalize/text.ts removes from titles) never reach a
// log line: one in a logged name would reverse the rest of the line in a terminal or a log viewer.
// JSON never needs them as syntax, so they are dropped from the finished line.
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;

export function createLogger(level: string, destination: NodeJS.WritableStream = process.stdout): Logger {
  return pino(
    {
      level,
      base: { service: 'storyline' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      hooks: { streamWrite: (line) => line.replace(BIDI_CONTROLS, '') },
      // Fields that hold a feed's URL or an error naming it never print the URL's credentials.
      redact: {
        paths: ['feed_url', 'new_url', 'discovered_url', 'url', 'reason', 'error'],
        censor: (value: unknown) => (typeof value === 'string' ? hideCredentials(value) : value),
      },
    },
    destination,
  );
}

/** A logger that drops everything, for tests and the standalone cluster command. */
export function createSilentLogger(): Logger {
  return pino({ level: 'silent' });
}
