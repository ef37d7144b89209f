// Query parameters of the feeds, the API and the pages: read from the raw URL (so bad escapes are
// caught), validated with zod strict schemas (unknown parameters are refused by name), and turned
// into the plain filters the read side (store/read) takes. Nothing here reaches SQL except as a bound value.
import { z } from 'zod';
import { InvalidInputError } from '../errors.js';
import type { Position } from '../model.js';
import type { ListFilter, StorylineFilter, StorySort } from '../store/read/index.js';

/** Longest query string we read at all; each parameter has its own, smaller bound. */
const MAX_QUERY_CHARS = 4096;

function decodeComponent(raw: string, what: string): string {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    throw new InvalidInputError(
      `${what} is not valid percent-encoded UTF-8`,
      what === 'query string' ? null : what.replace(/^parameter /, ''),
    );
  }
}

/** The query string of a request URL as one value per name; repeated or undecodable names are refused. */
export function readQuery(url: string): Record<string, string> {
  const at = url.indexOf('?');
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  if (at < 0) return out;
  const query = url.slice(at + 1);
  if (query.length > MAX_QUERY_CHARS)
    throw new InvalidInputError(`query string is longer than ${MAX_QUERY_CHARS} characters`);
  for (const part of query.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = decodeComponent(eq < 0 ? part : part.slice(0, eq), 'query string');
    const value = decodeComponent(eq < 0 ? '' : part.slice(eq + 1), `parameter ${name}`);
    if (name in out) throw new InvalidInputError(`parameter ${name} is given more than once`, name);
    // An empty value (an empty form field) means the parameter is not set.
    if (value !== '') out[name] = value;
  }
  return out;
}

const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;

const text = (max: number) =>
  z
    .string()
    .refine(
      (s) => s.length <= max && !CONTROL_CHARS.test(s) && s.trim() !== '',
      `must be text of at most ${max} characters, without control characters`,
    );

const whole = (min: number, max: number) =>
  z
    .string()
    .refine(
      (s) => /^\d{1,9}$/.test(s) && Number(s) >= min && Number(s) <= max,
      `must be a whole number from ${min} to ${max}`,
    )
    .transform(Number);

const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** ISO 8601 date or date-time; without an offset it is UTC. Impossible dates (2025-02-30) are null. */
export function parseTime(s: string): Date | null {
  const m = ISO_TIME.exec(s);
  if (!m) return null;
  const [, y = '', mo = '', d = '', h = '00', mi = '00', sec = '00', fraction = '', zone = 'Z'] = m;
  const day = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  if (Number(y) < 1970 || day.getUTCMonth() !== Number(mo) - 1 || day.getUTCDate() !== Number(d)) return null;
  if (Number(h) > 23 || Number(mi) > 59 || Number(sec) > 59) return null;
  const offset = zone === 'Z' ? 'Z' : `${zone.slice(0, 3)}:${zone.slice(-2)}`;
  const t = new Date(`${y}-${mo}-${d}T${h}:${mi}:${sec}${fraction.slice(0, 4)}${offset}`);
  return Number.isNaN(t.getTime()) ? null : t;
}

/** Why a time parameter is refused (what the limit really is), or null when it is accepted. */
function timeProblem(s: string): string | null {
  if (s.length > 40 || !ISO_TIME.test(s))
    return 'must be an ISO 8601 date or date-time, such as 2025-05-06 or 2025-05-06T12:00:00Z';
  if (Number(s.slice(0, 4)) < 1970)
    return 'must be 1970-01-01 or later: an ISO 8601 date, but before the earliest this API accepts';
  if (parseTime(s) === null)
    return 'is not a real ISO 8601 date or time: its month, day, hour, minute or second is out of range';
  return null;
}

const time = z
  .string()
  .superRefine((s, ctx) => {
    const problem = timeProblem(s);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .transform((s) => parseTime(s)!);

const slug = z
  .string()
  .refine((s) => /^[\p{L}\p{N}][\p{L}\p{N}._-]{0,99}$/u.test(s), 'must be a topic slug (letters, digits and hyphens)');

/** Opaque position cursors: base64url of "microseconds.id" (newest first) or "r" and a rank (top stories). */
export function encodeCursor(p: Position): string {
  return Buffer.from('rank' in p ? `r${p.rank}` : `${p.us}.${p.id}`, 'latin1').toString('base64url');
}

function decodePosition(s: string): Position | null {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(s)) return null;
  const text = Buffer.from(s, 'base64url').toString('latin1');
  const ranked = /^r(\d{1,4})$/.exec(text);
  if (ranked) return { rank: Number(ranked[1]) };
  const m = /^(-?\d{1,17})\.(\d{1,17})$/.exec(text);
  if (!m) return null;
  const us = Number(m[1]);
  const id = Number(m[2]);
  return Number.isSafeInteger(us) && Number.isSafeInteger(id) ? { us, id } : null;
}

const cursor = z
  .string()
  .refine((s) => decodePosition(s) !== null, 'is not a cursor this API gave out')
  .transform((s) => decodePosition(s)!);

/** Search pages by offset (ranked results have no stable keyset); bounded so deep pages stay cheap. */
export const MAX_SEARCH_OFFSET = 10_000;

export const encodeOffsetCursor = (offset: number): string => Buffer.from(`o${offset}`, 'latin1').toString('base64url');

function decodeOffset(s: string): number | null {
  if (!/^[A-Za-z0-9_-]{1,16}$/.test(s)) return null;
  const m = /^o(\d{1,5})$/.exec(Buffer.from(s, 'base64url').toString('latin1'));
  return m && Number(m[1]) <= MAX_SEARCH_OFFSET ? Number(m[1]) : null;
}

const offsetCursor = z
  .string()
  .refine((s) => decodeOffset(s) !== null, 'is not a cursor this API gave out')
  .transform((s) => decodeOffset(s)!);

export const MAX_FEED_ENTRIES = 200;
export const MAX_API_PAGE = 100;

const filters = {
  sort: z.enum(['top', 'latest'], { error: 'must be top or latest' }).optional(),
  topic: slug.optional(),
  outlet: text(200).optional(),
  q: text(300).optional(),
  min_sources: whole(1, 1000).optional(),
  since: time.optional(),
};

export const feedQuery = z.strictObject({
  ...filters,
  view: z.enum(['stories', 'items'], { error: 'must be stories or items' }).optional(),
  limit: whole(1, MAX_FEED_ENTRIES).optional(),
});
export const topicFeedQuery = feedQuery.omit({ topic: true });
export const pageQuery = z.strictObject({
  ...filters,
  limit: whole(1, MAX_API_PAGE).optional(),
  cursor: cursor.optional(),
});
export const topicPageQuery = pageQuery.omit({ topic: true });
export const listQuery = z.strictObject({
  ...filters,
  until: time.optional(),
  limit: whole(1, MAX_API_PAGE).optional(),
  cursor: cursor.optional(),
});
/** Items are listed newest first only. */
export const itemListQuery = listQuery.omit({ sort: true });
export const pageOnlyQuery = z.strictObject({
  sort: filters.sort,
  limit: whole(1, MAX_API_PAGE).optional(),
  cursor: cursor.optional(),
});
export const searchQuery = z.strictObject({
  q: text(300),
  limit: whole(1, MAX_API_PAGE).optional(),
  cursor: offsetCursor.optional(),
});
export const topicsQuery = z.strictObject({ limit: whole(1, 1000).optional() });
export const noQuery = z.strictObject({});
/** Storylines are listed newest activity first only. */
export const storylineListQuery = z.strictObject({
  topic: filters.topic,
  since: filters.since,
  until: time.optional(),
  limit: whole(1, MAX_API_PAGE).optional(),
  cursor: cursor.optional(),
});
export const storylineFeedQuery = z.strictObject({ limit: whole(1, MAX_FEED_ENTRIES).optional() });

/** Validates raw parameters; the first problem becomes a 400 naming the parameter. */
export function parseQuery<S extends z.ZodType>(schema: S, raw: unknown): z.output<S> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  if (issue.code === 'unrecognized_keys') {
    const names = issue.keys.join(', ');
    throw new InvalidInputError(
      `unknown parameter${issue.keys.length > 1 ? 's' : ''}: ${names}`,
      issue.keys[0] ?? null,
    );
  }
  const name = String(issue.path[0] ?? '');
  if (name === '') throw new InvalidInputError(`input must be an object of named parameters`);
  const message = issue.code === 'invalid_type' ? 'is required' : issue.message;
  throw new InvalidInputError(`parameter ${name} ${message}`, name);
}

/** Validates a numeric path segment (a story id). */
export function parseId(raw: string, what: string): number {
  if (!/^\d{1,15}$/.test(raw) || Number(raw) < 1)
    throw new InvalidInputError(`${what} must be a positive whole number`, 'id');
  return Number(raw);
}

interface FilterInput {
  sort?: StorySort | undefined;
  topic?: string | undefined;
  outlet?: string | undefined;
  q?: string | undefined;
  min_sources?: number | undefined;
  since?: Date | undefined;
  until?: Date | undefined;
  cursor?: Position | undefined;
  limit?: number | undefined;
}

/** The store filter for validated parameters; stories are top stories unless `sort=latest`. */
export function toListFilter(p: FilterInput, defaultLimit: number): ListFilter {
  const sort = p.sort ?? 'top';
  // A cursor holds a place in one order: a rank, or a time and id.
  if (p.cursor && 'rank' in p.cursor !== (sort === 'top'))
    throw new InvalidInputError(`parameter cursor is not a place in the ${sort} order: keep sort as it was`, 'cursor');
  return {
    sort,
    topic: p.topic ?? null,
    outlet: p.outlet?.trim() ?? null,
    q: p.q?.trim() ?? null,
    minSources: p.min_sources ?? 0,
    since: p.since ?? null,
    until: p.until ?? null,
    after: p.cursor ?? null,
    limit: p.limit ?? defaultLimit,
  };
}

/** The store filter for validated storyline list parameters. */
export function toStorylineFilter(p: z.output<typeof storylineListQuery>, defaultLimit: number): StorylineFilter {
  // A rank is a place among top stories; storylines have only the newest-first order.
  if (p.cursor && 'rank' in p.cursor)
    throw new InvalidInputError(
      'parameter cursor is not a place in the storyline list (newest activity first)',
      'cursor',
    );
  return {
    topic: p.topic ?? null,
    since: p.since ?? null,
    until: p.until ?? null,
    after: p.cursor ?? null,
    limit: p.limit ?? defaultLimit,
  };
}
