// One JSON line per event: a fixed message plus snake_case fields (feed_id, feed_url, reason…).
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string, destination: NodeJS.WritableStream = process.stdout): Logger {
  return pino(
    {
      level,
      base: { service: 'storyline' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
}

/** A logger that drops everything, for tests and the standalone cluster command. */
export function createSilentLogger(): Logger {
  return pino({ level: 'silent' });
}
