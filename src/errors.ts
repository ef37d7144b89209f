// A few error kinds, each naming its stage. The server maps them to HTTP status in one place.

export type FetchErrorKind =
  'timeout' | 'too-large' | 'too-many-redirects' | 'blocked-address' | 'bad-url' | 'http-status' | 'network' | 'decode';

export class FetchError extends Error {
  override name = 'FetchError';
  constructor(
    readonly kind: FetchErrorKind,
    message: string,
    readonly details: { status?: number; retryAfterSeconds?: number | null; url?: string } = {},
    options?: { cause?: unknown },
  ) {
    super(`fetch: ${message}`, options);
  }
}

export class ParseError extends Error {
  override name = 'ParseError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(`parse: ${message}`, options);
  }
}

export class NotFoundError extends Error {
  override name = 'NotFoundError';
  constructor(what: string) {
    super(`${what} not found`);
  }
}

export class InvalidInputError extends Error {
  override name = 'InvalidInputError';
  constructor(
    message: string,
    readonly parameter: string | null = null,
  ) {
    super(message);
  }
}

/** The database cancelled a query that ran past its limit (STATEMENT_TIMEOUT): the answer can wait, not fail. */
export class QueryTimeoutError extends Error {
  override name = 'QueryTimeoutError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(`store: ${message}`, options);
  }
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** The message of any thrown value, for logs and feed error columns. */
export function describeError(err: unknown): string {
  // Node's connect to "localhost" tries ::1 and 127.0.0.1 and fails with an AggregateError of both, and no message.
  if (err instanceof AggregateError && !err.message) return err.errors.map(describeError).join('; ');
  if (err instanceof Error) return err.message;
  return String(err);
}

/** The database cannot be reached or opened; the message names the setting (DATABASE_URL, DATA_DIR) and the cause. */
export class DatabaseError extends Error {
  override name = 'DatabaseError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(`database: ${message}`, options);
  }
}
