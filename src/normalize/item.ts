// One ParsedItem → Item: every string cleaned and capped, URLs absolute, content sanitised.
import type { Item, ParsedItem } from '../model.js';
import { sanitizeContent } from './content.js';
import { parseDate, type ParsedDate } from './date.js';
import { contentHash } from './identity.js';
import { stripOutletSuffix, toPlainText, truncateAtWord } from './text.js';
import { resolveUrl } from './url.js';

export const LIMITS = {
  title: 1000,
  summary: 2000,
  content: 200 * 1024,
  author: 200,
  outlet: 200,
  categories: 50,
  category: 100,
  fallbackTitle: 80,
} as const;

/** Content longer than this is cut before sanitising (bounds the time and memory spent on hostile documents). */
const MAX_CONTENT_INPUT = 512 * 1024;

function titleOf(raw: string | null, outlet: string | null, summary: string, url: string | null): string {
  const title = stripOutletSuffix(toPlainText(raw ?? '', LIMITS.title), outlet);
  if (title !== '') return title;
  if (summary !== '') return truncateAtWord(summary, LIMITS.fallbackTitle);
  return url ?? '(untitled)';
}

/** "jane@example.com (Jane Doe)" → "Jane Doe" (RSS 2.0 puts an email address in <author>). */
function authorOf(raw: string | null): string | null {
  if (raw === null) return null;
  const text = toPlainText(raw, LIMITS.author);
  const named = /^\S+@\S+\s*\((.+)\)$/.exec(text);
  const author = named ? named[1]!.trim() : text;
  return author === '' ? null : author;
}

function categoriesOf(raw: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const category of raw) {
    if (out.length >= LIMITS.categories) break;
    const text = toPlainText(category, LIMITS.category);
    if (text === '' || seen.has(text.toLowerCase())) continue;
    seen.add(text.toLowerCase());
    out.push(text);
  }
  return out;
}

/** Sanitised content within LIMITS.content: on overflow the input is cut and sanitised again. */
function contentOf(raw: string, base: string | null): string {
  let input = raw.length > MAX_CONTENT_INPUT ? raw.slice(0, MAX_CONTENT_INPUT) : raw;
  let html = sanitizeContent(input, base);
  for (let attempt = 0; html.length > LIMITS.content && attempt < 4; attempt++) {
    input = input.slice(0, Math.floor((input.length * LIMITS.content * 0.9) / html.length));
    html = sanitizeContent(input, base);
  }
  return html.length > LIMITS.content ? '' : html;
}

export interface ItemContext {
  key: string;
  base: string | null;
  /** The entry's link, resolved and canonicalised (by normalizeItems, which needs it for identity). */
  link: { url: string; canonical: string } | null;
  published: ParsedDate;
  now: Date;
}

export function buildItem(parsed: ParsedItem, context: ItemContext): Item {
  const url = context.link?.url ?? null;
  const summary = toPlainText(parsed.summaryHtml ?? parsed.contentHtml ?? '', LIMITS.summary);
  const outletName = parsed.sourceName === null ? null : toPlainText(parsed.sourceName, LIMITS.outlet) || null;
  const updated = parsed.updated === null ? null : parseDate(parsed.updated, context.now);
  const fields = {
    url,
    canonicalUrl: context.link?.canonical ?? null,
    title: titleOf(parsed.title, outletName, summary, url),
    summary,
    contentHtml: contentOf(parsed.contentHtml ?? parsed.summaryHtml ?? '', context.base),
    author: authorOf(parsed.author),
    outletName,
    publishedAt: context.published.date,
    dateEstimated: context.published.estimated,
    updatedAt: updated === null || updated.estimated ? null : updated.date,
    categories: categoriesOf(parsed.categories),
    imageUrl: resolveUrl(parsed.imageUrl, context.base),
  };
  return { key: context.key, ...fields, contentHash: contentHash(fields) };
}
