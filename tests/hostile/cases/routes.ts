// Small constructors for the catalogue's routes and checks, so each case reads as one entry of data.
import assert from 'node:assert/strict';
import type { CheckContext, HostileRoute, HttpHandler } from '../../helpers/hostile.js';

type Body = string | Buffer;

export const RSS_TYPE = { 'content-type': 'application/rss+xml; charset=utf-8' };

/** A 200 with a fixed body (built on first request when given as a function). */
export function serve(body: Body | (() => Body), headers: Record<string, string> = RSS_TYPE): HostileRoute {
  return { http: (_req, res) => void res.writeHead(200, headers).end(typeof body === 'function' ? body() : body) };
}

/** Any status with optional headers and body. */
export function reply(status: number, headers: Record<string, string> = {}, body: Body = ''): HostileRoute {
  return { http: (_req, res) => void res.writeHead(status, headers).end(body) };
}

export function handle(fn: HttpHandler): HostileRoute {
  return { http: fn };
}

/** A redirect to wherever `to` says. */
export function redirect(to: (env: Parameters<HttpHandler>[2]['env']) => string, status = 302): HostileRoute {
  return { http: (_req, res, { env }) => void res.writeHead(status, { location: to(env) }).end() };
}

export interface StoredItem {
  item_key: string;
  url: string | null;
  canonical_url: string | null;
  title: string;
  summary: string;
  content_html: string;
  author: string | null;
  categories: string[];
  image_url: string | null;
  published_at: Date;
  date_estimated: boolean;
}

const SELECT_ITEMS = `SELECT item_key, url, canonical_url, title, summary, content_html, author, categories, image_url, published_at, date_estimated
FROM items WHERE feed_id = $1 ORDER BY id`;

export async function storedItems(ctx: CheckContext): Promise<StoredItem[]> {
  return (await ctx.db.query<StoredItem>(SELECT_ITEMS, [ctx.feedId])).rows;
}

/** Every stored string of the feed's items, joined: for "this never appears" checks. */
export async function storedText(ctx: CheckContext): Promise<string> {
  return JSON.stringify(await storedItems(ctx));
}

/** The check that the feed's stored items contain none of `needles`. */
export function neverStored(...needles: Array<string | RegExp>): (ctx: CheckContext) => Promise<void> {
  return async (ctx) => {
    const text = await storedText(ctx);
    for (const n of needles) {
      if (typeof n === 'string') assert.ok(!text.includes(n), `stored items contain ${JSON.stringify(n)}`);
      else assert.doesNotMatch(text, n);
    }
  };
}

/** The check that the titles stored are exactly these, in document order. */
export function titlesAre(...titles: string[]): (ctx: CheckContext) => Promise<void> {
  return async (ctx) => assert.deepEqual((await storedItems(ctx)).map((i) => i.title), titles);
}

/** Runs several checks in turn. */
export function all(...checks: Array<(ctx: CheckContext) => Promise<void>>): (ctx: CheckContext) => Promise<void> {
  return async (ctx) => {
    for (const check of checks) await check(ctx);
  };
}
